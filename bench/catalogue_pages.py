"""Benchmark: queries and time per request for the catalogue and a course page, with 1,000 courses and 5,000
sessions (and bookings on them). `--help` tells the rest."""

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: queries and time per request for the catalogue and a course page, with 1,000 courses and 5,000
sessions (and bookings on them).

    .venv/bin/python bench/catalogue_pages.py                    # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_b_bench .venv/bin/python bench/catalogue_pages.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first. Each page is
requested through Django's test client (whole middleware stack, templates rendered) several times; the table
shows the number of SQL queries and the median time.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=1_000)
    parser.add_argument("--sessions", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    throwaway.django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from partners.models import Organisation, Sector
    from training.models import (
        Band,
        Booking,
        Course,
        Requirement,
        Session,
        SessionDate,
        StandardVersion,
        Theme,
    )  # fmt: skip
    from workforce.models import StaffProfile, User

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    began = time.perf_counter()
    sector = Sector.objects.create(name="Social Care", slug="social-care")
    providers = [Organisation.objects.create(name=f"Provider {i}", slug=f"provider-{i}", sector=sector,
                                             org_type="statutory") for i in range(20)]  # fmt: skip
    themes = [Theme.objects.create(name=f"Theme {i}", slug=f"theme-{i}") for i in range(24)]
    bands = [Band.objects.create(number=n, label=f"Band {n}") for n in range(1, 5)]
    version = StandardVersion.objects.create(name="Bench standard", effective_from=dt.date(2026, 1, 1),
                                             is_current=True)
    modes = [m for m, _ in Course.DeliveryMode.choices]
    courses = Course.objects.bulk_create([
        Course(code=f"B{i:04}", title=f"Course {i:04} on safeguarding and practice", summary="A bench course.",
               outcomes="One\nTwo", duration="1 day", delivery_mode=modes[i % len(modes)],
               provider=providers[i % len(providers)])
        for i in range(args.courses)
    ])  # fmt: skip
    Course.themes.through.objects.bulk_create(
        [Course.themes.through(course=c, theme=themes[i % len(themes)]) for i, c in enumerate(courses)]
        + [Course.themes.through(course=c, theme=themes[(i + 7) % len(themes)]) for i, c in enumerate(courses)]
    )
    Course.prerequisites.through.objects.bulk_create(
        [Course.prerequisites.through(from_course=c, to_course=courses[i - 1]) for i, c in enumerate(courses)
         if i % 10 == 1]  # fmt: skip
    )
    for b, band in enumerate(bands):
        for r in range(8):
            req = Requirement.objects.create(version=version, band=band, title=f"Requirement {b}-{r}")
            req.courses.set(courses[(b * 40 + r * 5):(b * 40 + r * 5) + 3])
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    sessions = Session.objects.bulk_create([
        Session(course=courses[i % len(courses)], capacity=20, venue_name="Civic Centre",
                starts_at=now + dt.timedelta(days=1 + i % 180, hours=i % 5),
                ends_at=now + dt.timedelta(days=1 + i % 180, hours=3 + i % 5))
        for i in range(args.sessions)
    ])  # fmt: skip
    SessionDate.objects.bulk_create(
        [SessionDate(session=s, starts_at=s.starts_at, ends_at=s.ends_at) for s in sessions]
    )
    people = User.objects.bulk_create([User(email=f"p{i}@bench.example") for i in range(60)])
    StaffProfile.objects.bulk_create([StaffProfile(user=u, cts_band=3) for u in people])
    Booking.objects.bulk_create([
        Booking(session=s, person=people[j], status="confirmed") for k, s in enumerate(sessions[::5])
        for j in range(k % 20 + 1)
    ])  # fmt: skip
    print(f"seeded {Course.objects.count():,} courses, {Session.objects.count():,} sessions, "
          f"{Booking.objects.count():,} bookings in {time.perf_counter() - began:.1f} s")

    client = Client(HTTP_HOST="localhost")
    client.force_login(people[0])
    busy_course = courses[1]
    soon = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    pages = [
        ("catalogue, first page", "/training/courses/", {}),
        ("catalogue, page 10", "/training/courses/", {"page": 10}),
        ("catalogue, search 'safeguarding'", "/training/courses/", {"q": "safeguarding practice"}),
        ("catalogue, required for me", "/training/courses/", {"required_for_me": "on"}),
        ("catalogue, places free + theme", "/training/courses/", {"places_free": "on", "theme": "theme-3"}),
        ("catalogue, next 14 days + mode", "/training/courses/", {"date_to": soon, "delivery_mode": "virtual"}),
        ("course page (5 sessions, prerequisite)", busy_course.get_absolute_url(), {}),
        ("session page", sessions[1].get_absolute_url(), {}),
    ]
    print(f"\n{'page':42} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    for label, path, params in pages:
        client.get(path, params)  # warm up
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(path, params)
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        print(f"{label:42} {len(queries):>7} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
