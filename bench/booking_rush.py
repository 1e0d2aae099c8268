"""Benchmark: a booking rush. N people, each signed in over HTTP, press "Book a place" on the same session at
the same moment, against gunicorn on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_b_bench .venv/bin/python bench/booking_rush.py \
        --clients 200 --capacity 50 --workers 4 --port 8102

The database's name must end in "_bench": it is migrated and emptied first. The server runs the test settings
(DEBUG off, emails kept in memory, tasks inline) so no mail server or broker is needed. Prints confirmed /
wait-listed / busy / errors, bookings per minute, response times, and checks the database afterwards: never more
confirmed than capacity, nobody lost, no duplicates.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-123"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup(clients: int, capacity: int) -> int:
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from training.models import Course, Session, SessionDate
    from workforce.models import StaffProfile, User

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(email=f"rush{n:04}@bench.example", first_name="Rush", last_name=f"{n:04}", password=password)
         for n in range(clients)]  # fmt: skip
    )
    StaffProfile.objects.bulk_create([StaffProfile(user=u, cts_band=3) for u in users])
    course = Course.objects.create(code="RUSH", title="Safeguarding children: level 2", summary="Bench.",
                                   duration="1 day")
    start = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    session = Session.objects.create(course=course, capacity=capacity, venue_name="Civic Centre", starts_at=start,
                                     ends_at=start + dt.timedelta(hours=7))
    SessionDate.objects.create(session=session, starts_at=start, ends_at=start + dt.timedelta(hours=7))
    connection.close()
    return session.pk


def sign_in(base: str, n: int) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{base}/accounts/sign-in/", timeout=30)
    token = CSRF.search(page.text).group(1)
    response = http.post(
        f"{base}/accounts/sign-in/",
        data={"username": f"rush{n:04}@bench.example", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/sign-in/"},
        timeout=30,
    )
    if "/accounts/sign-in/" in response.url:
        raise RuntimeError(f"sign-in failed for rush{n:04}")
    return http


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8102)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name ends in _bench.")
    if not url.rstrip("/").endswith("_bench"):
        sys.exit("DATABASE_URL must name a throwaway database ending in _bench: it is emptied first.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    session_pk = setup(args.clients, args.capacity)

    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [sys.executable, *(["-S"] if sys.flags.no_site else []), "-m", "gunicorn", "config.wsgi",
         "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/accounts/sign-in/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)
        print(f"gunicorn: {args.workers} workers x {args.threads} threads; signing in {args.clients} people…")
        sessions = [sign_in(base, n) for n in range(args.clients)]
        tokens = []
        for http in sessions:
            page = http.get(f"{base}/training/sessions/{session_pk}/", timeout=30)
            tokens.append(CSRF.search(page.text).group(1))

        barrier = threading.Barrier(args.clients + 1)
        outcomes: list[str] = [""] * args.clients
        timings: list[float] = [0.0] * args.clients

        def rush(i: int) -> None:
            barrier.wait()
            began = time.perf_counter()
            try:
                response = sessions[i].post(
                    f"{base}/training/sessions/{session_pk}/book/",
                    data={"csrfmiddlewaretoken": tokens[i]},
                    headers={"Referer": f"{base}/training/sessions/{session_pk}/"},
                    timeout=120,
                )
                text = response.text
                if response.status_code != 200:
                    outcomes[i] = f"HTTP {response.status_code}"
                elif "Your place is booked" in text:
                    outcomes[i] = "confirmed"
                elif "you are on the waiting list" in text:
                    outcomes[i] = "wait-listed"
                elif "try again" in text:
                    outcomes[i] = "busy (asked to try again)"
                else:
                    outcomes[i] = "other page"
            except requests.RequestException as error:
                outcomes[i] = f"error: {type(error).__name__}"
            timings[i] = time.perf_counter() - began

        threads = [threading.Thread(target=rush, args=(i,)) for i in range(args.clients)]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    counts = {name: outcomes.count(name) for name in sorted(set(outcomes))}
    booked = counts.get("confirmed", 0) + counts.get("wait-listed", 0)
    print(f"\n{args.clients} clients, capacity {args.capacity}, all pressing Book at once")
    for name, n in counts.items():
        print(f"  {name:28} {n}")
    print(f"  wall time                    {elapsed:.2f} s")
    print(f"  bookings per minute          {booked / elapsed * 60:,.0f}")
    print(f"  response time median / p95   {statistics.median(timings):.2f} s / "
          f"{sorted(timings)[int(len(timings) * 0.95) - 1]:.2f} s")

    from django.db.models import Count

    from training.models import Booking

    rows = Booking.objects.filter(session_id=session_pk)
    confirmed = rows.filter(status=Booking.Status.CONFIRMED).count()
    waiting = rows.filter(status=Booking.Status.WAITLISTED).count()
    duplicates = rows.values("person").annotate(n=Count("pk")).filter(n__gt=1).count()
    print(f"database: {confirmed} confirmed, {waiting} wait-listed, {duplicates} people with two bookings")
    ok = confirmed <= args.capacity and duplicates == 0 and confirmed + waiting == booked
    print("CHECK: " + ("OK — never over capacity, nobody lost, no duplicates" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
