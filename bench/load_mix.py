"""R7 load: 50 signed-in people use the portal at once for 60 s, browsing and booking, against the
production-like server (bench/server.py: gunicorn, PostgreSQL, Redis, a Celery worker sending the emails)."""

import argparse
import datetime as dt
import io
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench import server  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """R7 load: 50 signed-in people use the portal at once for 60 s, browsing and booking, against the
production-like server (bench/server.py: gunicorn, PostgreSQL, Redis, a Celery worker sending the emails).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_load_bench REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/load_mix.py                # --users 50 --seconds 60 --port 8252

The data is the demo partnership (`seed_demo`, at `--scale` when the command offers it) plus the bench's people
and 20 open sessions for them to book. Each person is a thread with their own browser-like client (cookies,
CSRF, keep-alive), looping: wait 1-5 s (Locust's quick-start wait), then one of

    home · catalogue (a page, a search) · a course · a session · My training · the action list  (browsing, 80%)
    book a place: the session page, "Book a place", the My bookings page it leads to           (12%)
    cancel a booking: My bookings, the cancel page, "Cancel my booking", My bookings again      (8%)

Every HTTP request is timed on its own. An error is anything a person would notice: no answer, a status of 400 or
more, or a page that does not say what it should (a booking without its outcome, a page without its heading).
Goal: p95 < 300 ms over all requests, 0 errors.
"""

GOAL_P95_MS = 300
THINK = (1.0, 5.0)
CANCEL_LINK = re.compile(r'href="(/training/bookings/\d+/cancel/)"')
BOOKED = ("Your place is booked", "you are on the waiting list")
CANCELLED = ("Your booking is cancelled", "You have left the waiting list")


def seed(*, users: int, scale: float | None) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command, load_command_class
    from django.utils import timezone

    from actions.models import Strategy
    from core.roles import Role
    from partners.models import Organisation
    from training.models import Course, Session, SessionDate
    from workforce.models import StaffProfile, User

    options = {}
    if scale is not None:
        parser = load_command_class("portal", "seed_demo").create_parser("manage.py", "seed_demo")
        if any("--scale" in action.option_strings for action in parser._actions):
            options["scale"] = scale
        else:
            print(f"note: seed_demo has no --scale here; seeding the demo (scale 1), not {scale}")
    began = time.perf_counter()
    call_command("seed_demo", verbosity=0, stdout=io.StringIO(), **options)

    password = make_password(server.PASSWORD)
    people = User.objects.bulk_create([
        User(email=f"load{n:03}@bench.example", first_name="Load", last_name=f"{n:03}", password=password)
        for n in range(users)
    ])  # fmt: skip
    organisation = Organisation.objects.order_by("pk").first()
    StaffProfile.objects.bulk_create([StaffProfile(user=u, organisation=organisation, cts_band=2) for u in people])
    practitioner, _ = Group.objects.get_or_create(name=Role.PRACTITIONER.value)
    User.groups.through.objects.bulk_create([User.groups.through(user=u, group=practitioner) for u in people])

    course = Course.objects.create(code="LOAD", title="Working together to safeguard children", summary="Bench.",
                                   duration="3 hours")
    first = (timezone.localtime() + dt.timedelta(days=14)).replace(hour=9, minute=30, second=0, microsecond=0)
    bookable = []
    for n in range(20):
        start = first + dt.timedelta(days=n)
        session = Session.objects.create(course=course, capacity=15, venue_name="Civic Centre", starts_at=start,
                                         ends_at=start + dt.timedelta(hours=3))
        SessionDate.objects.create(session=session, starts_at=start, ends_at=start + dt.timedelta(hours=3))
        bookable.append(session.pk)
    now = timezone.now()
    data = {
        "courses": list(Course.objects.filter(is_active=True).values_list("pk", flat=True)),
        "sessions": list(Session.objects.filter(starts_at__gt=now, course__is_active=True)
                         .exclude(status=Session.Status.CANCELLED).values_list("pk", flat=True)),
        "bookable": bookable,
        "plan": Strategy.objects.filter(status=Strategy.Status.ACTIVE).exists(),
    }
    print(f"seeded in {time.perf_counter() - began:.0f} s: {User.objects.count():,} people, "
          f"{len(data['courses']):,} courses, {len(data['sessions']):,} upcoming sessions "
          f"({len(bookable)} for the bench's bookings)")
    return data


class Person:
    """One signed-in person: their client, and every request they made (name, seconds, error or "")."""

    def __init__(self, site, http: requests.Session, data: dict, rng: random.Random, log: list):
        self.site, self.http, self.data, self.rng, self.log = site, http, data, rng, log

    def request(self, name: str, method: str, path: str, expect: str | tuple = "<h1", **kwargs):
        began = time.perf_counter()
        error = ""
        response = None
        try:
            response = self.http.request(method, self.site.url(path), allow_redirects=False, timeout=60, **kwargs)
            if response.status_code >= 400:
                error = f"HTTP {response.status_code}"
            elif response.status_code == 200 and expect:
                wanted = (expect,) if isinstance(expect, str) else expect
                if not any(text in response.text for text in wanted):
                    error = "page without what it should say"
        except requests.RequestException as exc:
            error = type(exc).__name__
        self.log.append((name, time.perf_counter() - began, error))
        return None if error else response

    def post(self, name: str, path: str, page) -> requests.Response | None:
        token = server.CSRF.search(page.text)
        if token is None:
            self.log.append((name, 0.0, "no form on the page"))
            return None
        if time.perf_counter() - self.last > 4:  # the server keeps an idle connection 5 s; a browser reconnects
            self.http.close()
        response = self.request(name, "POST", path, expect="", data={"csrfmiddlewaretoken": token.group(1)},
                                headers={"Referer": self.site.url(path)})
        if response is not None and response.status_code != 302:
            self.log.append((name, 0.0, f"HTTP {response.status_code} instead of a redirect"))
            return None
        return response

    def browse(self) -> None:
        rng, data = self.rng, self.data
        choice = rng.choice(["home", "catalogue", "catalogue search", "course", "session", "my training",
                             "action list"])
        if choice == "home":
            self.request("home", "GET", "/")
        elif choice == "catalogue":
            self.request("catalogue", "GET", f"/training/courses/?page={rng.randint(1, 3)}")
        elif choice == "catalogue search":
            self.request("catalogue search", "GET", "/training/courses/",
                         params={"q": rng.choice(["safeguarding", "domestic abuse", "neglect", "early help"])})
        elif choice == "course":
            self.request("course", "GET", f"/training/courses/{rng.choice(data['courses'])}/")
        elif choice == "session":
            self.request("session", "GET", f"/training/sessions/{rng.choice(data['sessions'])}/")
        elif choice == "my training":
            self.request("my training", "GET", "/training/my-training/")
        else:
            self.request("action list", "GET", "/plan/actions/")

    def book(self) -> None:
        path = f"/training/sessions/{self.rng.choice(self.data['bookable'])}/"
        page = self.request("session", "GET", path)
        if page is None:
            return
        if 'action="' + path + 'book/"' not in page.text:
            return  # booked on it already: the page offers no button; the person goes back to browsing
        response = self.post("book", path + "book/", page)
        if response is not None:
            self.request("my bookings (after booking)", "GET", response.headers["Location"], expect=BOOKED)

    def cancel(self) -> None:
        page = self.request("my bookings", "GET", "/training/my-bookings/")
        if page is None:
            return
        links = CANCEL_LINK.findall(page.text)
        if not links:
            return
        path = self.rng.choice(links)
        form = self.request("cancel page", "GET", path)
        if form is None:
            return
        response = self.post("cancel", path, form)
        if response is not None:
            self.request("my bookings (after cancelling)", "GET", response.headers["Location"],
                         expect=CANCELLED)

    def run(self, until: float) -> None:
        self.last = time.perf_counter()
        time.sleep(self.rng.uniform(0, THINK[1]))  # people arrive over the first few seconds, not in one burst
        while True:
            time.sleep(self.rng.uniform(*THINK))
            if time.perf_counter() >= until:
                return
            roll = self.rng.random()
            if roll < 0.80:
                self.browse()
            elif roll < 0.92:
                self.book()
            else:
                self.cancel()
            self.last = time.perf_counter()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--scale", type=float, default=None, help="passed to seed_demo --scale when it has one")
    parser.add_argument("--port", type=int, default=8252)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
    parser.add_argument("--seed", type=int, default=7, help="random seed for what each person does")
    return parser.parse_args()


def main() -> None:
    args = _arguments()

    server.prepare()
    from django.db import connection

    from training.models import Booking

    data = seed(users=args.users, scale=args.scale)
    connection.close()
    log: list = []
    with server.running(port=args.port, workers=args.workers, threads=args.threads) as site:
        with ThreadPoolExecutor(8) as pool:
            https = list(pool.map(lambda n: site.sign_in(f"load{n:03}@bench.example"), range(args.users)))
        people = [Person(site, http, data, random.Random(args.seed * 1000 + n), log) for n, http in enumerate(https)]
        for person in people[:8]:  # warm every page once before the clock starts
            person.last = time.perf_counter()
            person.browse()
            person.book()
            person.cancel()
        log.clear()
        before = site.cpu_snapshot()
        began = time.perf_counter()
        until = began + args.seconds
        threads = [threading.Thread(target=person.run, args=(until,)) for person in people]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
        cpu = server.cpu_used(before, site.cpu_snapshot())
        load = server.load()
        confirmed = Booking.objects.filter(session_id__in=data["bookable"], person__email__startswith="load",
                                           status=Booking.Status.CONFIRMED).count()
        connection.close()

    by_name = defaultdict(list)
    errors = defaultdict(int)
    for name, seconds, error in log:
        by_name[name].append(seconds)
        if error:
            errors[f"{name}: {error}"] += 1
    times = [seconds for _name, seconds, _error in log]
    p95 = percentile(times, 0.95) * 1000
    print(f"\n{args.users} people for {args.seconds} s (wall {wall:.0f} s): {len(log):,} requests, "
          f"{len(log) / wall:.1f} a second; {confirmed} places held by the bench's people at the end")
    print(f"  {'request':32} {'count':>6} {'median':>8} {'p95':>8} {'max':>8}")
    for name, values in sorted(by_name.items(), key=lambda item: -len(item[1])):
        print(f"  {name:32} {len(values):6} {statistics.median(values) * 1000:6.0f} ms "
              f"{percentile(values, 0.95) * 1000:5.0f} ms {max(values) * 1000:5.0f} ms")
    print(f"  server CPU over the run: gunicorn {cpu['gunicorn']:.1f} s, worker {cpu['worker']:.1f} s, "
          f"postgres {cpu['postgres']:.1f} s ({sum(cpu.values()) / wall:.2f} of a core)")
    for what, n in sorted(errors.items()):
        print(f"  ERROR {what}: {n}")
    print(f"  {load}")
    total_errors = sum(errors.values())
    met = p95 < GOAL_P95_MS and total_errors == 0
    print(f"\nR7 load: p95 {p95:.0f} ms over {len(log):,} requests, {total_errors} errors")
    print(f"GOAL p95 < {GOAL_P95_MS} ms and 0 errors: {'MET' if met else 'MISSED'} "
          f"(p95 {p95:.0f} ms, {total_errors} errors)")
    sys.exit(0 if total_errors == 0 else 1)


if __name__ == "__main__":
    main()
