"""Benchmark P2 (pages at scale) and P5 (the compliance matrix): queries per request and median time, as a
ratio to a *bare* page (base.html, navigation and all, with one query) measured in the same run."""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import time
import urllib.parse
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import server  # noqa: E402
from bench.middleware import QUERY_HEADER  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark P2 (pages at scale) and P5 (the compliance matrix): queries per request and median time, as a
ratio to a *bare* page (base.html, navigation and all, with one query) measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_pages_bench REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/pages.py --http         # --scales 10 100 --repeat 15 --port 8270

The database's name must end in "_bench": for each scale it is emptied and seeded with
`seed_demo --scale N` (10 is a tenth of the real partnership, 100 the real one: 25,000 staff, 1,000 courses,
5,000 sessions, 100,000 bookings, 10,000 actions). `--reuse` keeps a database already seeded at that scale.
Like every bench it runs on production's settings (config.settings.bench): PostgreSQL, Redis, DEBUG off.

Each page is requested by the person it is for: the catalogue, a course page, My training and the session
page by a generated band-4 practitioner (the one with the most bookings); the action list by the strategy
group member; the workforce dashboard by a Board member; the compliance matrix by the administrator.
Rounds go through every page in turn (the bare page first), so a change in the machine's load touches all of
them alike; the ratio is the page's median over the bare page's median.

Targets: in-process through Django's test client (whole middleware stack, templates rendered) and, with
`--http`, over HTTP against the production-like server of bench/server.py (gunicorn as production runs it, a
Celery worker beside it). The bare page is bench/views.py's; every response carries its query count in a header
(bench/middleware.py). `--url` points the HTTP measurements at a server already running config.settings.bench.
"""

P2_GOAL_QUERIES, P2_GOAL_RATIO = 10, 2.0
P5_GOAL_QUERIES, P5_GOAL_SECONDS = 5, 1.0


@dataclass
class Page:
    label: str
    who: str  # key into the people chosen for the run
    path: str
    goal: str = ""  # "P2", "P5" or "" (shown for context)
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size: int = 0


# --- Targets: something that GETs a path as a person and reports (status, bytes, queries, ms) --------------


class InProcess:
    name = "in-process (Django test client)"

    def __init__(self, people):
        from django.test import Client

        self.clients = {}
        for key, user in people.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            self.clients[key] = client

    def get(self, who: str, path: str):
        began = time.perf_counter()
        response = self.clients[who].get(path)
        ms = (time.perf_counter() - began) * 1000
        return response.status_code, len(response.content), int(response.get(QUERY_HEADER, -1)), ms

    def close(self):
        pass


class OverHttp:
    """Against the production-like server (bench/server.py, started here unless `--url` names one). People are
    signed in by a session made in-process (the cookie is the same to the server)."""

    def __init__(self, people, *, base: str | None, port: int, workers: int | None):
        from django.test import Client

        self.stack = ExitStack()
        if base is None:
            base = self.stack.enter_context(server.running(port=port, workers=workers)).base
            self.name = f"over HTTP (gunicorn and a Celery worker on {base})"
        else:
            self.name = f"over HTTP ({base})"
        parts = urllib.parse.urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=60)
        self.cookies = {}
        for key, user in people.items():
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            self.cookies[key] = f"sessionid={client.cookies['sessionid'].value}"
        for _ in range(150):  # wait for the server
            try:
                self.get("admin", "/accounts/sign-in/")
                break
            except OSError:
                self.connection.close()
                time.sleep(0.2)

    def get(self, who: str, path: str):
        began = time.perf_counter()
        try:
            self.connection.request("GET", path, headers={"Cookie": self.cookies[who], "Host": "localhost"})
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a kept-alive connection left idle (the in-process rounds run first): reconnect.
            self.connection.close()
            began = time.perf_counter()
            self.connection.request("GET", path, headers={"Cookie": self.cookies[who], "Host": "localhost"})
            response = self.connection.getresponse()
        body = response.read()
        ms = (time.perf_counter() - began) * 1000
        return response.status, len(body), int(response.getheader(QUERY_HEADER, "-1")), ms

    def close(self):
        self.connection.close()
        self.stack.close()


# --- Seeding and choosing who asks for what ----------------------------------------------------------------


def seed(scale: float, *, reuse: bool) -> float:
    from django.core.cache import cache
    from django.core.management import call_command

    began = time.perf_counter()
    if reuse:
        try:
            call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
            cache.clear()
            return time.perf_counter() - began
        except Exception as error:  # another scale, or half a database: start again
            print(f"  (not reusable: {error}; emptying)")
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    began = time.perf_counter()
    call_command("seed_demo", scale=scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
    cache.clear()
    return time.perf_counter() - began


def choose(now):
    from django.db.models import Count, Q

    from portal.demo_scale import DOMAIN
    from training.models import Booking, Course
    from workforce.models import User

    person = (
        User.objects.filter(email__endswith=f"@{DOMAIN}", profile__cts_band=4)
        .annotate(n=Count("training_bookings", filter=Q(training_bookings__status__in=Booking.LIVE_STATUSES)))
        .order_by("-n", "pk")
        .first()
    ) or User.objects.get(email="practitioner@demo.example")  # scale 1: the demo itself
    course = (
        Course.objects.filter(is_active=True)
        .annotate(n=Count("sessions", filter=Q(sessions__starts_at__gt=now, sessions__status="scheduled")))
        .order_by("-n", "pk")
        .first()
    )
    session = course.sessions.filter(starts_at__gt=now, status="scheduled").order_by("starts_at").first()
    people = {
        "practitioner": person,
        "strategist": User.objects.get(email="strategy@demo.example"),
        "board": User.objects.get(email="board@demo.example"),
        "admin": User.objects.get(email="admin@demo.example"),
    }
    pages = [
        Page("catalogue", "practitioner", "/training/courses/", "P2"),
        Page(f"course ({course.n} upcoming sessions)", "practitioner", course.get_absolute_url(), "P2"),
        Page("My training", "practitioner", "/training/my-training/", "P2"),
        Page("action list", "strategist", "/plan/actions/", "P2"),
        Page("workforce dashboard (Board)", "board", "/people/dashboard/", "P2"),
        Page("catalogue, required for me", "practitioner", "/training/courses/?required_for_me=on"),
        Page("catalogue, places free + theme", "practitioner",
             "/training/courses/?places_free=on&theme=safeguarding-and-promoting-welfare"),
        Page("catalogue, page 20", "practitioner", "/training/courses/?page=20"),
        Page("session page", "practitioner", session.get_absolute_url()),
        Page("action list, page 50", "strategist", "/plan/actions/?page=50"),
        Page("home (practitioner)", "practitioner", "/"),
        Page("compliance matrix, everyone (P5)", "admin", "/training/compliance/all/", "P5"),
    ]  # fmt: skip
    return people, pages


# --- Measuring -------------------------------------------------------------------------------------------


def pages_data_changed() -> None:
    """What a change to the pages' data does to their cached renderings (--cold): the catalogue's version (a course
    or session changed: catalogue, course pages), every course's places, the action lists', everyone's own
    training pages and the dashboard's figures, all made stale."""
    from actions.selectors import LISTS_NAMESPACE
    from core.caching import cache_namespace_bump
    from training.models import Course
    from training.selectors import CATALOGUE_NAMESPACE, PEOPLE_NAMESPACE, course_places_namespace
    from workforce.selectors import FIGURES_NAMESPACE

    global _COURSE_IDS
    if _COURSE_IDS is None:
        _COURSE_IDS = list(Course.objects.values_list("pk", flat=True))
    cache_namespace_bump(CATALOGUE_NAMESPACE, LISTS_NAMESPACE, PEOPLE_NAMESPACE, FIGURES_NAMESPACE,
                         *(course_places_namespace(pk) for pk in _COURSE_IDS))  # fmt: skip


_COURSE_IDS = None


def measure(target, pages: list[Page], *, repeat: int, warm: int = 2, cold: bool = False) -> Page:
    bare = Page("bare page (base.html, one query)", "practitioner", "/bench/bare/page/")
    everything = [bare, *pages]
    for page in everything:
        page.times, page.queries = [], []
    for round_ in range(warm + repeat):
        for page in everything:
            if cold:
                pages_data_changed()
            status, size, queries, ms = target.get(page.who, page.path)
            if status != 200:
                raise SystemExit(f"{page.label}: {page.path} answered {status}")
            if round_ >= warm:
                page.times.append(ms)
                page.queries.append(queries)
                page.size = size
    return bare


def report(scale: float, target, bare: Page, pages: list[Page]) -> list[tuple]:
    base = statistics.median(bare.times)
    print(f"\n  {target.name}")
    print(f"  {'page':42} {'queries':>7} {'KB':>6} {'median ms':>10} {'p90 ms':>7} {'ratio':>6}  goal")
    print(f"  {bare.label:42} {max(bare.queries):>7} {bare.size / 1024:>6.0f} {base:>10.1f} "
          f"{_p90(bare.times):>7.1f} {1:>6.2f}")  # fmt: skip
    rows = []
    for page in pages:
        median = statistics.median(page.times)
        ratio = median / base
        queries = max(page.queries)
        if page.goal == "P2":
            ok = queries <= P2_GOAL_QUERIES and ratio <= P2_GOAL_RATIO
            goal = f"P2 ≤{P2_GOAL_QUERIES} q, ≤{P2_GOAL_RATIO:g}×: {'met' if ok else 'MISSED'}"
        elif page.goal == "P5":
            ok = queries <= P5_GOAL_QUERIES and median / 1000 <= P5_GOAL_SECONDS
            goal = f"P5 ≤{P5_GOAL_QUERIES} q, ≤{P5_GOAL_SECONDS:g} s: {'met' if ok else 'MISSED'}"
        else:
            goal = ""
        print(f"  {page.label:42} {queries:>7} {page.size / 1024:>6.0f} {median:>10.1f} {_p90(page.times):>7.1f} "
              f"{ratio:>6.2f}  {goal}")  # fmt: skip
        rows.append((scale, target.name, page.label, page.goal, queries, median, ratio))
    return rows


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=float, nargs="+", default=[10, 100])
    parser.add_argument("--repeat", type=int, default=15, help="measured rounds per page (after 2 warm-up rounds)")
    parser.add_argument("--reuse", action="store_true", help="keep a database already seeded at the scale")
    parser.add_argument("--http", action="store_true", help="also measure over HTTP (gunicorn, started here)")
    parser.add_argument("--url", help="measure over HTTP against this server (running config.settings.bench)")
    parser.add_argument("--port", type=int, default=8270)
    parser.add_argument("--cold", action="store_true",
                        help="make the pages' cached renderings stale before every request (the page after a change)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py's)")
    args = parser.parse_args()

    server.check_environment()
    os.environ["DJANGO_SETTINGS_MODULE"] = server.SETTINGS

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    server.database_create_if_missing()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production's manifest static files
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")  # fmt: skip
    if args.cold:
        print("cold: every request follows a change to the pages' data (their cached renderings made stale first)")
    summary = []
    for scale in args.scales:
        seconds = seed(scale, reuse=args.reuse)
        from portal.demo_scale import Sizes

        sizes = Sizes.at(scale)
        print(f"\nscale {scale:g}: {sizes.staff:,} staff, {sizes.organisations:,} organisations, "
              f"{sizes.courses:,} courses, {sizes.sessions:,} sessions, {sizes.bookings:,} bookings, "
              f"{sizes.actions:,} actions (seeded in {seconds:.0f} s)")  # fmt: skip
        if connection.vendor == "postgresql":  # as autovacuum would leave it: statistics and visibility map
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        people, pages = choose(timezone.now())
        targets = [InProcess(people)]
        if args.http or args.url:
            targets.append(OverHttp(people, base=args.url, port=args.port, workers=args.workers))
        try:
            for target in targets:
                bare = measure(target, pages, repeat=args.repeat, cold=args.cold)
                summary += report(scale, target, bare, pages)
        finally:
            for target in targets:
                target.close()

    print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("\nsummary (P2: ≤10 queries and ≤2× the bare page; P5: ≤5 queries and ≤1 s). Ratio last:")
    for scale, target, label, goal, queries, median, ratio in summary:
        if goal:
            where = "in-process" if target.startswith("in-process") else "HTTP"
            print(f"  {goal} scale {scale:<4g} {where:10} {label:40} {queries:>3} queries {median:>8.1f} ms  "
                  f"ratio {ratio:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
