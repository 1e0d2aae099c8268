"""Benchmark: the daily reminder sweep over 10,000 actions, 10,000 milestones, 100,000 bookings and the
compliance of 5,000 people. Prints seconds and queries for: the first sweep of a day (record every reminder),
the same sweep again (everything already recorded), and sending (per notification). `--help` tells the rest."""

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 15
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: the daily reminder sweep over 10,000 actions, 10,000 milestones, 100,000 bookings and the
compliance of 5,000 people. Prints seconds and queries for: the first sweep of a day (record every reminder),
the same sweep again (everything already recorded), and sending (per notification).

    .venv/bin/python bench/reminder_sweep.py                 # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_e_bench .venv/bin/python bench/reminder_sweep.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=5_000)
    return parser.parse_args()


def _seed(args: argparse.Namespace, today: date) -> None:
    """The plan, its milestones, the standard, completions falling due, and sessions with bookings around today."""
    from django.utils import timezone

    from actions.models import Action, Milestone, Strategy, Theme
    from partners.models import Organisation, Sector
    from training.models import Band, Booking, Completion, Course, Requirement, Session, StandardVersion
    from workforce.models import StaffProfile, User

    t0 = time.perf_counter()
    tz = timezone.get_current_timezone()
    sector = Sector.objects.create(name="Social Care", slug="social-care", order=1)
    org = Organisation.objects.create(name="City Council", slug="city-council", sector=sector)
    people = User.objects.bulk_create(
        [User(email=f"p{n:05}@bench.example", first_name=f"P{n}", last_name="Person") for n in range(args.people)],
        batch_size=2000,
    )
    StaffProfile.objects.bulk_create([StaffProfile(user=p, organisation=org, cts_band=3) for p in people],
                                     batch_size=2000)
    strategy = Strategy.objects.create(title="Bench plan", period_start=date(2026, 1, 1),
                                       period_end=date(2028, 12, 31), status=Strategy.Status.ACTIVE)
    themes = Theme.objects.bulk_create([Theme(strategy=strategy, code=str(n + 1), title=f"Aim {n + 1}", order=n)
                                        for n in range(6)])
    statuses = ["green", "amber", "red", "completed", "none"]
    actions = Action.objects.bulk_create([
        Action(strategy=strategy, theme=themes[n % 6], code=f"{n % 6 + 1}.{n // 6 + 1}",
               sort_key=f"{n % 6 + 1:06}.{n // 6 + 1:06}", title=f"Action {n}",
               due_date=today + timedelta(days=(n % 120) - 60), current_status=statuses[n % 5])
        for n in range(args.actions)
    ], batch_size=2000)  # fmt: skip
    through = Action.leads.through
    through.objects.bulk_create([through(action_id=a.pk, user_id=people[(i * 2 + k) % 300].pk)
                                 for i, a in enumerate(actions) for k in range(2)], batch_size=5000)
    Milestone.objects.bulk_create([Milestone(action=a, title=f"Milestone of {a.code}",
                                             due_date=today + timedelta(days=(i % 90) - 30))
                                   for i, a in enumerate(actions)], batch_size=5000)
    course = Course.objects.create(code="SG2", title="Safeguarding level 2", summary="-", duration="3 hours",
                                   copy_line_manager=True)
    version = StandardVersion.objects.create(name="CTS", effective_from=date(2026, 1, 1), is_current=True)
    band = Band.objects.create(number=3, label="Regular")
    requirement = Requirement.objects.create(version=version, band=band, title="Safeguarding level 2",
                                             refresher_months=36)
    requirement.courses.add(course)
    Completion.objects.bulk_create([Completion(person=p, course=course,
                                               completed_on=today - timedelta(days=3 * 365 - 90 + (i % 200)))
                                    for i, p in enumerate(people)], batch_size=5000)
    n_sessions = max(1, args.bookings // 50)
    sessions = Session.objects.bulk_create([
        Session(course=course, capacity=60, venue_name="Hall",
                starts_at=datetime.combine(today + timedelta(days=(n % 120) - 60), dtime(10), tzinfo=tz),
                ends_at=datetime.combine(today + timedelta(days=(n % 120) - 60), dtime(13), tzinfo=tz),
                status="closed" if n % 120 < 60 else "scheduled")
        for n in range(n_sessions)
    ], batch_size=2000)  # fmt: skip
    Booking.objects.bulk_create([
        Booking(session=s, person=people[(i * 50 + k) % len(people)],
                status=("attended" if s.status == "closed" else ("confirmed" if k % 10 else "waitlisted")))
        for i, s in enumerate(sessions) for k in range(50)
    ], batch_size=5000)  # fmt: skip
    print(f"seeded {args.actions:,} actions, {args.actions:,} milestones, {Booking.objects.count():,} bookings on "
          f"{n_sessions:,} sessions, {args.people:,} people in {time.perf_counter() - t0:.1f} s")


def main() -> None:
    args = _arguments()

    throwaway.django_setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from notifications.models import Notification, NotificationItem
    from notifications.reminders import candidates_for
    from notifications.services import notification_deliver, notifications_record

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    today = timezone.localdate()
    _seed(args, today)

    def sweep(label):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            with transaction.atomic():
                candidates = candidates_for(day=today)
                t_candidates = time.perf_counter() - start
                result = notifications_record(candidates=candidates, day=today, queue=False)
            elapsed = time.perf_counter() - start
        print(f"{label:<34} {elapsed:6.2f} s  {len(queries):5} queries  "
              f"({t_candidates:.2f} s finding {result.candidates:,} reminders; {result.created:,} notifications)")
        return elapsed, len(queries), result

    first_s, first_q, first = sweep("sweep, first run of the day")
    again_s, again_q, again = sweep("sweep, again (all recorded)")
    by_kind = dict(Notification.objects.values_list("kind").annotate(n=Count("id")).order_by())
    print("notifications by kind:", by_kind)

    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True)[:500])
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        for pk in ids:
            notification_deliver(notification_id=pk)
        elapsed = time.perf_counter() - start
    print(f"send {len(ids)} notifications (locmem mail)  {elapsed:6.2f} s  "
          f"{len(queries) / len(ids):.1f} queries and {1000 * elapsed / len(ids):.1f} ms each")
    resent = [notification_deliver(notification_id=pk) for pk in ids]  # a retry, a duplicate task
    print(f"   {os.getloadavg()[0]:.2f} load average (1 min) on {os.cpu_count()} cores")

    # Exactly once: every reminder recorded as one item, nothing new the second time, a second send does nothing.
    items = NotificationItem.objects.count()
    once = (items == first.candidates and again.created == 0 and len(mail.outbox) == len(ids)
            and set(resent) == {"skipped"})
    # Queries bounded by batches: a fixed few plus six per 500 new reminders (taken keys, active people,
    # switched-off kinds, notifications, items), whatever the size of the plan or the number of bookings.
    bound = 30 + 6 * -(-first.candidates // 500)
    print(f"\nP4 reminder sweep: {first_s:.1f} s for {first.candidates:,} reminders ({first.created:,} notifications), "
          f"{first_q} queries; again {again_s:.1f} s, {again.created} new")
    print(f"CHECK exactly once: {'OK' if once else 'FAILED'} ({items:,} items for {first.candidates:,} reminders, "
          f"{again.created} new the second time, {len(mail.outbox)} emails for {len(ids)} sends and their retries)")
    print(f"CHECK queries bounded by batches: {'OK' if first_q <= bound else 'FAILED'} ({first_q} <= {bound})")
    met = first_s <= GOAL_SECONDS and once and first_q <= bound
    print(f"GOAL <= {GOAL_SECONDS} s, exactly once, queries bounded: {'MET' if met else 'MISSED'} ({first_s:.1f} s)")
    sys.exit(0 if once and first_q <= bound else 1)


if __name__ == "__main__":
    main()
