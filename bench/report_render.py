"""Benchmark (issue 8, P3): the quarterly Board report for plans of 100 and 1,000 actions: seconds and
queries to gather the figures, seconds to render the PDF, its pages and size, and the goal's verdict."""

import argparse
import io
import os
import resource
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark (issue 8, P3): the quarterly Board report for plans of 100 and 1,000 actions (3 updates and a
milestone each, two leads), with 5,000 bookings in the quarter and 2,000 people. For each plan: the seconds
and queries to gather the figures, the seconds to render the PDF (WeasyPrint, PDF/UA-1; wall clock and this
process's CPU), its pages and size. Last: the goal's verdict and the ratio 1,000 / 100.

    .venv/bin/python bench/report_render.py                 # a throwaway SQLite database in a temp folder
    .venv/bin/python bench/report_render.py --sizes 100 1000 3000 --repeat 1
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_e_bench .venv/bin/python bench/report_render.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
Goal: a report of 100 actions in at most 3 s (figures + PDF), and one of 1,000 in at most 10 times as long.
Each plan is timed --repeat times, the sizes taking turns so that both see the same load (median); the first
render of the process (fonts, cffi types) is done once beforehand and printed as "cold", since a worker pays
it once, not per report.
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3, help="renders per plan; the median is reported")
    return parser.parse_args()


STATUSES = ["green", "amber", "red", "completed", "dropped"]
COMMENTARY = ("Partners have agreed the approach; the first sessions ran in the quarter and the next are "
              "booked. Attendance from the voluntary sector remains low and is being followed up.")


def _seed_plan(size: int, *, quarter, people: list, author):
    """A plan of `size` actions in six themes, each with two leads, three updates and a milestone."""
    from django.utils import timezone

    from actions.models import Action, Milestone, StatusUpdate, Strategy, Theme

    tz = timezone.get_current_timezone()
    strategy = Strategy.objects.create(title=f"Plan of {size} actions", period_start=quarter.start,
                                       period_end=quarter.end + timedelta(days=365))
    themes = Theme.objects.bulk_create([Theme(strategy=strategy, code=str(n + 1), title=f"Aim number {n + 1}",
                                              order=n) for n in range(6)])
    actions = Action.objects.bulk_create([
        Action(strategy=strategy, theme=themes[n % 6], code=f"{n % 6 + 1}.{n // 6 + 1}",
               sort_key=f"{n % 6 + 1:06}.{n // 6 + 1:06}", title=f"Action {n}: deliver multi-agency training",
               start_date=quarter.start, due_date=quarter.start + timedelta(days=(n % 180) - 30),
               current_status=STATUSES[n % 5])
        for n in range(size)], batch_size=2000)  # fmt: skip
    through = Action.leads.through
    through.objects.bulk_create([through(action_id=a.pk, user_id=people[(i * 2 + k) % 500].pk)
                                 for i, a in enumerate(actions) for k in range(2)], batch_size=5000)
    at = datetime.combine(quarter.start + timedelta(days=20), dtime(12), tzinfo=tz)
    StatusUpdate.objects.bulk_create([
        StatusUpdate(action=a, status=STATUSES[i % 5], percent_complete=(i * 7) % 101, commentary=COMMENTARY,
                     created_by=author, created_at=at + timedelta(days=20 * k))
        for i, a in enumerate(actions) for k in range(3)], batch_size=5000)  # fmt: skip
    Milestone.objects.bulk_create([Milestone(action=a, title=f"Milestone {i}",
                                             due_date=quarter.start + timedelta(days=i % 90),
                                             done_date=quarter.start + timedelta(days=i % 60) if i % 3 else None)
                                   for i, a in enumerate(actions)], batch_size=5000)
    return strategy


def _report(args: argparse.Namespace, plans: dict, runs: dict, last: dict, load_before: tuple) -> None:
    """Each plan's medians, the machine's load and memory, and the goals' verdicts."""
    import pypdf

    results = {}  # size -> (figures + PDF, wall seconds; PDF alone, CPU seconds)
    for size in plans:
        total, gathered, wall, cpu = sorted(runs[size])[len(runs[size]) // 2]
        results[size] = (total, cpu)
        n_queries, content = last[size]
        pages = len(pypdf.PdfReader(io.BytesIO(content)).pages)
        print(f"{size:>6,} actions: figures {gathered:5.2f} s, {n_queries:3} queries; PDF {wall:6.2f} s "
              f"({cpu:6.2f} s CPU), {pages:4} pages, {len(content) / 1024:6.0f} KB; total {total:6.2f} s "
              f"(median of {args.repeat})")

    load_after = os.getloadavg()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"peak memory {peak:.0f} MB")
    if 100 in results:
        print(f"goal: 100 actions in <= 3 s: {results[100][0]:.2f} s, {'met' if results[100][0] <= 3 else 'missed'}")
    if 100 in results and 1000 in results:
        ratio, cpu_ratio = results[1000][0] / results[100][0], results[1000][1] / results[100][1]
        print(f"goal: 1,000 actions in <= 10x the time of 100: {'met' if ratio <= 10 else 'missed'} "
              f"(PDF CPU-time ratio {cpu_ratio:.1f})")
        print(f"ratio 1000/100: {ratio:.1f}")


def main() -> None:
    args = _arguments()

    throwaway.django_setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from actions.models import Strategy
    from actions.reports.data import report_data
    from actions.reports.pdf import report_pdf
    from actions.reports.quarters import quarter_previous
    from partners.models import Organisation, Sector
    from training.models import Booking, Course, Session
    from workforce.models import StaffProfile, User

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    today = timezone.localdate()
    quarter = quarter_previous(today)
    tz = timezone.get_current_timezone()
    sectors = [Sector.objects.create(name=f"Sector {n}", slug=f"sector-{n}", order=n) for n in range(8)]
    orgs = [Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}", sector=sectors[n % 8]) for n in range(40)]
    people = User.objects.bulk_create([User(email=f"p{n:05}@bench.example", first_name=f"First{n}",
                                            last_name=f"Last{n}") for n in range(args.people)], batch_size=2000)
    StaffProfile.objects.bulk_create([StaffProfile(user=p, organisation=orgs[i % 40], cts_band=1 + i % 4)
                                      for i, p in enumerate(people)], batch_size=2000)
    course = Course.objects.create(code="C1", title="Course", summary="-", duration="1 day")
    n_sessions = args.bookings // 25
    sessions = Session.objects.bulk_create([
        Session(course=course, capacity=30, status="closed",
                starts_at=datetime.combine(quarter.start + timedelta(days=n % 85), dtime(10), tzinfo=tz),
                ends_at=datetime.combine(quarter.start + timedelta(days=n % 85), dtime(16), tzinfo=tz))
        for n in range(n_sessions)])  # fmt: skip
    Booking.objects.bulk_create([Booking(session=s, person=people[(i * 25 + k) % len(people)],
                                         status="attended" if k % 9 else "no_show")
                                 for i, s in enumerate(sessions) for k in range(25)], batch_size=5000)
    author = people[0]

    def figures(strategy: Strategy):
        return report_data(strategy=strategy, quarter=quarter, today=today, recommendations="That the Board notes.",
                           author="Bench", contact="bench@example.org", sponsor="Sponsor")

    def timed_render(data) -> tuple[float, float, bytes]:
        wall, cpu = time.perf_counter(), time.process_time()
        content = report_pdf(data)
        return time.perf_counter() - wall, time.process_time() - cpu, content

    plans = {size: _seed_plan(size, quarter=quarter, people=people, author=author) for size in args.sizes}
    load_before = os.getloadavg()
    cold_wall, cold_cpu, _ = timed_render(figures(plans[args.sizes[0]]))
    print(f"cold: first render of the process ({args.sizes[0]:,} actions) {cold_wall:.2f} s ({cold_cpu:.2f} s CPU)")

    # Sizes take turns (100, 1,000, 100, 1,000, …) so that each sees the same load on a shared machine.
    runs: dict[int, list[tuple[float, float, float, float]]] = {size: [] for size in plans}
    last = {}
    for _ in range(args.repeat):
        for size, strategy in plans.items():
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                data = figures(strategy)
                gathered = time.perf_counter() - t0
            wall, cpu, content = timed_render(data)
            runs[size].append((gathered + wall, gathered, wall, cpu))
            last[size] = (len(queries), content)

    _report(args, plans, runs, last, load_before)


if __name__ == "__main__":
    main()
