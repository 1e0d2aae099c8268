"""Benchmark: data-protection requests on a populated portal (20,000 people, 100,000 bookings and
notifications): exports, anonymising, retention runs and the audit log, in seconds and queries."""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: data-protection requests on a populated portal — 20,000 people, 100,000 bookings with their
status history, 100,000 notifications, 2,000 actions. Prints seconds and queries for: one person's JSON and
PDF export, anonymising one person (every text column that could name them is searched), a retention run
that anonymises 50 leavers, the same run again (nothing to do), and the audit log's first page.

    .venv/bin/python bench/privacy_requests.py               # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_privacy_bench .venv/bin/python bench/privacy_requests.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--notifications", type=int, default=100_000)
    parser.add_argument("--leavers", type=int, default=50)
    return parser.parse_args()


def _measure(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"{label:<52} {seconds:7.2f} s  {len(queries):6d} queries")
    return result


def main() -> None:
    args = _arguments()

    throwaway.django_setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from actions.models import Action, Strategy, Theme
    from notifications.models import Notification
    from partners.models import Organisation, Sector
    from privacy import exports, selectors, services
    from training.models import Booking, BookingEvent, Course, Session
    from workforce.models import StaffProfile, User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    t0 = time.perf_counter()
    sector = Sector.objects.create(name="Health", slug="health")
    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Org {i}", slug=f"org-{i}", sector=sector, org_type="statutory") for i in range(50)]
    )
    unusable = make_password(None)
    people = User.objects.bulk_create(
        [User(email=f"person{i}@example.org", first_name=f"First{i}", last_name=f"Surname{i}", password=unusable,
              phone=f"0113 496 {i:04d}") for i in range(args.people)],  # fmt: skip
        batch_size=2000,
    )
    User.history.bulk_history_create(people, batch_size=2000)
    profiles = StaffProfile.objects.bulk_create(
        [StaffProfile(user=u, organisation=orgs[i % 50], job_title="Worker", employee_ref=f"HR{i:06d}")
         for i, u in enumerate(people)], batch_size=2000,
    )  # fmt: skip
    StaffProfile.history.bulk_history_create(profiles, batch_size=2000)
    course = Course.objects.create(code="SG1", title="Safeguarding", summary="s", duration="3 hours")
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        [Session(course=course, capacity=1000, starts_at=now - timedelta(days=i), ends_at=now - timedelta(days=i),
                 status="closed") for i in range(200)]  # fmt: skip
    )
    bookings = Booking.objects.bulk_create(
        # Each person's bookings are on different sessions (one live booking per person and session).
        [Booking(session=sessions[(i // args.people * 37 + i % 37) % 200], person=people[i % args.people],
                 status="attended")
         for i in range(args.bookings)], batch_size=5000,
    )  # fmt: skip
    BookingEvent.objects.bulk_create(
        [BookingEvent(booking=b, to_status="attended", note="marked at the door" if i % 10 == 0 else "")
         for i, b in enumerate(bookings)], batch_size=5000,
    )  # fmt: skip
    Notification.objects.bulk_create(
        [Notification(recipient=people[i % args.people], kind="session_reminder", subject="Reminder: Safeguarding",
                      dedupe_key=f"k{i}", for_date=date.today(), status="sent", sent_at=now,
                      cc=[f"person{(i + 1) % args.people}@example.org"] if i % 3 == 0 else [])
         for i in range(args.notifications)], batch_size=5000,
    )  # fmt: skip
    strategy = Strategy.objects.create(title="Plan", period_start=date(2026, 1, 1), period_end=date(2028, 1, 1))
    theme = Theme.objects.create(strategy=strategy, code="1", title="Theme")
    Action.objects.bulk_create(
        [Action(strategy=strategy, theme=theme, code=f"1.{i}", sort_key=f"{i:06d}", title=f"Action {i}",
                description="Improve supervision across the partnership.") for i in range(2000)],  # fmt: skip
    )
    leavers = people[100 : 100 + args.leavers]
    long_ago = date.today() - timedelta(days=900)
    User.objects.filter(pk__in=[u.pk for u in leavers]).update(is_active=False, left_on=long_ago)
    print(f"populated in {time.perf_counter() - t0:.1f} s")

    measure = _measure
    person = people[7]
    data = measure("export: gather one person's records", lambda: exports.person_data(person=person))
    measure("export: JSON", lambda: exports.person_data_json(data))
    measure("export: PDF", lambda: exports.person_data_pdf(data))
    measure("anonymise one person", lambda: services.person_anonymise(person=person, by=None))
    run = measure(f"retention run ({args.leavers} leavers to anonymise)", services.retention_run)
    print(f"  anonymised: {run.results[0]['count']}")
    measure("retention run again (nothing to do)", services.retention_run)
    measure("audit log: first page (50 rows, described)",
            lambda: selectors.audit_rows_described(list(selectors.audit_entries()[:50])))  # fmt: skip
    measure("audit log: one person's changes",
            lambda: selectors.audit_rows_described(list(selectors.audit_entries(people=[people[9].pk])[:50])))


if __name__ == "__main__":
    main()
