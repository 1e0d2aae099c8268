"""P1 booking rush: N people, signed in over HTTP, press "Book a place" on the same session at the same moment,
against the production-like server (bench/server.py), compared with a bare view doing the same lock and insert."""

import argparse
import datetime as dt
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from bench import server  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """P1 booking rush: N people, signed in over HTTP, press "Book a place" on the same session at the same moment,
against the production-like server (bench/server.py: gunicorn, PostgreSQL, Redis, a Celery worker sending the
emails). Compared, on the same server and with the same clients, with a bare view that does only the same row
lock and one insert.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_rush_bench REDIS_URL=redis://127.0.0.1:6379/6 \
        .venv/bin/python bench/booking_rush.py            # --clients 200 --capacity 20 --rounds 3 --port 8250

Before the release every person has signed in and loaded the session's page (its CSRF token); then all N POSTs
go at once (a thread barrier). A booking is made when the server answers the POST: the redirect to My bookings,
which carries the outcome. Each person then opens that page and is classed by what it tells them: confirmed,
wait-listed, "busy, try again", or an error. Bookings per minute = bookings made / (release to last answer).

Each round books a fresh session twice: the bare view first, then the portal's booking, each once the machine
has gone quiet (server.Site.wait_until_quiet). Goal: exactly `capacity` confirmed and the rest wait-listed,
0 errors, >= 4,000 bookings a minute, ratio to bare >= 0.5.
"""

GOAL_PER_MINUTE = 4000
GOAL_RATIO = 0.5


def seed(*, people: int, capacity: int, sessions: int) -> list[int]:
    """`people` practitioners and `sessions` sessions of one course, each on its own day (no overlaps)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from core.roles import Role
    from training.models import Course, Session, SessionDate
    from workforce.models import StaffProfile, User

    password = make_password(server.PASSWORD)
    users = User.objects.bulk_create([
        User(email=f"rush{n:04}@bench.example", first_name="Rush", last_name=f"{n:04}", password=password)
        for n in range(people)
    ])  # fmt: skip
    StaffProfile.objects.bulk_create([StaffProfile(user=u, cts_band=3) for u in users])
    practitioner, _ = Group.objects.get_or_create(name=Role.PRACTITIONER.value)
    User.groups.through.objects.bulk_create([User.groups.through(user=u, group=practitioner) for u in users])
    course = Course.objects.create(code="RUSH", title="Safeguarding children: level 2", summary="Bench.",
                                   duration="1 day")
    first = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    pks = []
    for n in range(sessions):
        start = first + dt.timedelta(days=n)
        session = Session.objects.create(course=course, capacity=capacity, venue_name="Civic Centre",
                                         starts_at=start, ends_at=start + dt.timedelta(hours=7))
        SessionDate.objects.create(session=session, starts_at=start, ends_at=start + dt.timedelta(hours=7))
        pks.append(session.pk)
    return pks


def release(site, clients, path: str) -> tuple[list, list[float], float]:
    """Every client POSTs `path` at the same instant (no redirects followed). Responses, seconds each, wall."""
    barrier = threading.Barrier(len(clients) + 1)
    responses: list = [None] * len(clients)
    timings = [0.0] * len(clients)

    def press(i: int) -> None:
        http, token = clients[i]
        http.close()  # a fresh connection, as a browser opens after a pause longer than the server's keep-alive
        barrier.wait()
        began = time.perf_counter()
        try:
            responses[i] = http.post(site.url(path), data={"csrfmiddlewaretoken": token},
                                     headers={"Referer": site.url(path)}, allow_redirects=False, timeout=120)
        except requests.RequestException as error:
            responses[i] = error
        timings[i] = time.perf_counter() - began

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    return responses, timings, time.perf_counter() - started


def outcome_of(site, http, response) -> str:
    """What the person sees: the page the booking's redirect leads to, and its message."""
    if isinstance(response, Exception):
        return f"error: {type(response).__name__}"
    if response.status_code != 302:
        return f"error: HTTP {response.status_code}"
    page = http.get(site.url(response.headers["Location"]), timeout=120)
    if page.status_code != 200:
        return f"error: HTTP {page.status_code} on the next page"
    if "Your place is booked" in page.text:
        return "confirmed"
    if "you are on the waiting list" in page.text:
        return "wait-listed"
    if "try again" in page.text:
        return "busy (asked to try again)"
    return "error: no outcome shown"


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="bare + portal rushes, each on fresh sessions")
    parser.add_argument("--port", type=int, default=8250)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="threads per worker (default: gunicorn.conf.py's)")
    return parser.parse_args()


def _print_round(number: int, args: argparse.Namespace, result: dict, quiet: float) -> None:
    counts, booked, wall, bare_wall = result["counts"], result["booked"], result["wall"], result["bare_wall"]
    bare_ok, mail_wait = result["bare_ok"], result["mail_wait"]
    db_confirmed, db_waiting, duplicates = result["db"]
    print(f"\nround {number + 1}: {args.clients} clients, capacity {args.capacity}, all pressing Book at once")
    for name, n in counts.items():
        print(f"  {name:30} {n}")
    print(f"  database                       {db_confirmed} confirmed, {db_waiting} wait-listed, "
          f"{duplicates} people booked twice")
    print(f"  portal: wall / per minute      {wall:.2f} s   {result['per_minute']:,.0f} bookings a minute "
          f"(answer median {result['median'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms)")
    print(f"  bare:   wall / per minute      {bare_wall:.2f} s   {result['bare_per_minute']:,.0f} "
          f"bookings a minute (answer median {result['bare_median'] * 1000:.0f} ms, "
          f"p95 {result['bare_p95'] * 1000:.0f} ms; {bare_ok} made)")
    for label, cpu in (("portal", result["cpu"]), ("bare", result["bare_cpu"])):
        print(f"  CPU per booking, {label + ':':8}      "
              + ", ".join(f"{part} {ms:.1f} ms" for part, ms in cpu.items()))
    print(f"  emails: all {booked} sent by the worker {mail_wait:.1f} s after the last person "
          f"saw their outcome")
    print(f"  waited for a quiet machine     {quiet:.1f} s before the two rushes")
    print(f"  ratio to bare                  {result['ratio']:.2f}")


def _verdict(args: argparse.Namespace, results: list[dict]) -> tuple[bool, int]:
    """Print the medians of the rounds and the verdict lines; whether every round was correct, and the errors."""
    best = statistics.median(r["per_minute"] for r in results)
    ratio = statistics.median(r["ratio"] for r in results)
    correct = all(r["ok"] for r in results)
    errors = sum(n for r in results for name, n in r["counts"].items() if name.startswith(("error", "busy")))
    print(f"\nP1 booking rush ({args.rounds} rounds, medians): {best:,.0f} bookings a minute, ratio {ratio:.2f}")
    print(f"CHECK correctness: {'OK' if correct else 'FAILED'} — exactly {args.capacity} confirmed and "
          f"{args.clients - args.capacity} wait-listed every round, {errors} errors or busy answers, nobody twice")
    print(f"GOAL >= {GOAL_PER_MINUTE:,} bookings a minute: {'MET' if best >= GOAL_PER_MINUTE else 'MISSED'} "
          f"({best:,.0f})")
    print(f"RATIO to the bare lock-and-insert view: {ratio:.2f} (goal >= {GOAL_RATIO}: "
          f"{'MET' if ratio >= GOAL_RATIO else 'MISSED'})")
    return correct, errors


def main() -> None:
    args = _arguments()

    server.prepare()
    from django.db import connection
    from django.db.models import Count

    from training.models import Booking

    warm, bare_warm, *rounds = seed(people=args.clients, capacity=args.capacity, sessions=2 + 2 * args.rounds)
    connection.close()

    results = []
    with server.running(port=args.port, workers=args.workers, threads=args.threads) as site:
        began = time.perf_counter()
        print(f"signing in {args.clients} people and loading the session page for each…")
        with ThreadPoolExecutor(8) as pool:
            https = list(pool.map(lambda n: site.sign_in(f"rush{n:04}@bench.example"), range(args.clients)))
            clients = list(zip(https, pool.map(lambda h: site.csrf_token(h, f"/training/sessions/{rounds[0]}/"),
                                               https), strict=True))
        # Warm-up: every worker thread has served both kinds of request once, and its emails have gone.
        few = clients[:16]
        release(site, few, f"/bench/bare/book/{bare_warm}/")
        responses, _, _ = release(site, few, f"/training/sessions/{warm}/book/")
        warmed = [outcome_of(site, http, response) for (http, _token), response in zip(few, responses, strict=True)]
        site.wait_for_mail(sum(1 for o in warmed if o in ("confirmed", "wait-listed")))
        mail_before = site.mail_sent()
        connection.close()
        print(f"ready in {time.perf_counter() - began:.0f} s (signed in, pages loaded, warmed up)")

        for number in range(args.rounds):
            bare_pk, session_pk = rounds[2 * number], rounds[2 * number + 1]
            quiet = site.wait_until_quiet()
            cpu0 = site.cpu_snapshot()
            bare, bare_times, bare_wall = release(site, clients, f"/bench/bare/book/{bare_pk}/")
            bare_ok = sum(1 for r in bare if not isinstance(r, Exception) and r.status_code == 200)
            quiet += site.wait_until_quiet()
            cpu1 = site.cpu_snapshot()
            responses, timings, wall = release(site, clients, f"/training/sessions/{session_pk}/book/")
            cpu2 = site.cpu_snapshot()
            with ThreadPoolExecutor(8) as pool:
                outcomes = list(pool.map(lambda c, r: outcome_of(site, c[0], r), clients, responses))
            counts = {name: outcomes.count(name) for name in sorted(set(outcomes))}
            booked = counts.get("confirmed", 0) + counts.get("wait-listed", 0)
            mail_wait = site.wait_for_mail(mail_before + booked)
            mail_before = site.mail_sent()
            rows = Booking.objects.filter(session_id=session_pk)
            db_confirmed = rows.filter(status=Booking.Status.CONFIRMED).count()
            db_waiting = rows.filter(status=Booking.Status.WAITLISTED).count()
            duplicates = rows.values("person").annotate(n=Count("pk")).filter(n__gt=1).count()
            connection.close()
            result = {
                "counts": counts, "booked": booked, "wall": wall, "per_minute": booked / wall * 60,
                "bare_ok": bare_ok, "bare_wall": bare_wall, "bare_per_minute": bare_ok / bare_wall * 60,
                "median": statistics.median(timings), "p95": p95(timings),
                "bare_median": statistics.median(bare_times), "bare_p95": p95(bare_times),
                "db": (db_confirmed, db_waiting, duplicates), "mail_wait": mail_wait,
                "cpu": {k: v / max(booked, 1) * 1000 for k, v in server.cpu_used(cpu1, cpu2).items()},
                "bare_cpu": {k: v / max(bare_ok, 1) * 1000 for k, v in server.cpu_used(cpu0, cpu1).items()},
            }
            result["ratio"] = result["per_minute"] / result["bare_per_minute"]
            result["ok"] = (counts.get("confirmed", 0) == db_confirmed == args.capacity
                            and counts.get("wait-listed", 0) == db_waiting == args.clients - args.capacity
                            and duplicates == 0 and booked == args.clients and bare_ok == args.clients)
            results.append(result)
            _print_round(number, args, result, quiet)
        print(f"\n{server.load()}")

    correct, errors = _verdict(args, results)
    sys.exit(0 if correct and errors == 0 else 1)


if __name__ == "__main__":
    main()
