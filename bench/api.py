"""Benchmark: the API over HTTP against the production-like server (bench/server.py). `--help` tells the rest."""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import server  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: the API over HTTP against the production-like server (bench/server.py).

1. `GET /api/v1/sessions/?page_size=1000` with 1,000 upcoming sessions (bookings on them), called with a
   token: p95 over 200 warm calls (goal ≤ 100 ms) and the SQL queries one call makes (goal ≤ 5).
2. 10,000 completions written by the e-learning endpoint (`POST /api/v1/completions/`, a service token, 4
   clients at once): total time (goal ≤ 60 s); then the same 10,000 again: every answer 200, nothing new.

    BENCH_PG=postgres://postgres@127.0.0.1:5432 DATABASE_URL=$BENCH_PG/wf_api_bench \\
        REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/api.py
"""

os.environ.setdefault("API_RATE_LIMIT", "1000000/minute")  # the bench measures speed, not the limit


def seed(sessions: int, people: int):
    from django.utils import timezone

    from core.roles import Role
    from identity.services import token_create
    from partners.models import Organisation, Sector
    from training.models import Booking, Course, Session
    from workforce.models import StaffProfile
    from workforce.services import user_create

    sector = Sector.objects.create(name="Health", slug="health")
    org = Organisation.objects.create(name="Bench Trust", slug="bench-trust", sector=sector, org_type="statutory")
    admin = user_create(email="admin@bench.example", password=server.PASSWORD,
                        roles=[Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR])
    courses = Course.objects.bulk_create([Course(code=f"EL{i:03}", title=f"E-learning {i}", summary="Bench.",
                                                 duration="1 hour") for i in range(50)])
    start = timezone.now() + dt.timedelta(days=2)
    made = Session.objects.bulk_create([
        Session(course=courses[i % 50], capacity=20, venue_name="Room 1", starts_at=start + dt.timedelta(hours=i),
                ends_at=start + dt.timedelta(hours=i, minutes=90)) for i in range(sessions)])
    users = [user_create(email=f"p{i:04}@bench.example", first_name="P", last_name=str(i)) for i in range(people)]
    StaffProfile.objects.bulk_create([StaffProfile(user=u, organisation=org) for u in users])
    Booking.objects.bulk_create([Booking(session=made[i % sessions], person=u, status=Booking.Status.CONFIRMED)
                                 for i, u in enumerate(users)])
    reader = token_create(by=admin, name="Reader", scopes=["read"]).secret
    writer = token_create(by=admin, name="LMS", scopes=["read", "completions:write"], organisation=org).secret
    return reader, writer, [u.email for u in users], [c.code for c in courses]


def queries_per_call(reader: str) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {reader}", HTTP_HOST="127.0.0.1")
    client.get("/api/v1/sessions/?page_size=1000")  # warm: last_used_at written
    with CaptureQueriesContext(connection) as seen:
        response = client.get("/api/v1/sessions/?page_size=1000")
    assert response.status_code == 200 and len(response.json()["results"]) == 1000
    return len(seen)


def sessions_p95(site, reader: str, calls: int) -> tuple[float, float]:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {reader}"
    url = site.url("/api/v1/sessions/?page_size=1000")
    for _ in range(10):
        http.get(url, timeout=60).raise_for_status()
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        response = http.get(url, timeout=60)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def completions(site, writer: str, emails: list[str], codes: list[str], total: int) -> tuple[float, dict]:
    bodies = [{"person": emails[i % len(emails)], "course": codes[(i // len(emails)) % len(codes)],
               "completed_on": "2026-11-02", "external_id": f"lms-{i}"} for i in range(total)]
    local = {}

    def send(chunk):
        http = local.setdefault(id(chunk), requests.Session())
        http.headers["Authorization"] = f"Bearer {writer}"
        codes_seen = {}
        for body in chunk:
            status = http.post(site.url("/api/v1/completions/"), json=body, timeout=60).status_code
            codes_seen[status] = codes_seen.get(status, 0) + 1
        return codes_seen

    chunks = [bodies[i::4] for i in range(4)]
    began = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(send, chunks))
    seconds = time.perf_counter() - began
    merged: dict = {}
    for result in results:
        for status, n in result.items():
            merged[status] = merged.get(status, 0) + n
    return seconds, merged


def main() -> None:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=1_000)
    parser.add_argument("--completions", type=int, default=10_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8250)))
    args = parser.parse_args()
    server.prepare()
    reader, writer, emails, codes = seed(args.sessions, 500)
    from training.models import Completion

    with server.running(port=args.port) as site:
        queries = queries_per_call(reader)  # in this process, once the server has collected static files
        median, p95 = sessions_p95(site, reader, args.calls)
        first, first_codes = completions(site, writer, emails, codes, args.completions)
        made = Completion.objects.count()
        second, second_codes = completions(site, writer, emails, codes, args.completions)
        after = Completion.objects.count()
    print(f"GET /api/v1/sessions/ ({args.sessions} sessions): median {median:.1f} ms, p95 {p95:.1f} ms, "
          f"{queries} queries")
    print(f"{args.completions} completions: {first:.1f} s ({first_codes}); again: {second:.1f} s "
          f"({second_codes}); rows {made} then {after}")
    print(f"GOAL sessions p95 {p95:.1f} ms <= 100 ms: {'met' if p95 <= 100 else 'MISSED'}")
    print(f"GOAL sessions queries {queries} <= 5: {'met' if queries <= 5 else 'MISSED'}")
    print(f"GOAL {args.completions} completions {first:.1f} s <= 60 s: {'met' if first <= 60 else 'MISSED'}")
    idem = made == after == args.completions and second_codes == {200: args.completions}
    print(f"CHECK completions idempotent on a second run: {'yes' if idem else 'NO'}")
    print(server.load())


if __name__ == "__main__":
    main()
