"""Benchmark: training compliance for 25,000 staff — queries and time for the computation, the paginated
administrator matrix, its CSV export (every row), a line manager's team, and one person's My training."""

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
HELP = """Benchmark: training compliance for 25,000 staff — queries and time for the computation, the paginated
administrator matrix, its CSV export (every row), a line manager's team, and one person's My training.

    .venv/bin/python bench/training_compliance.py                    # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_c_bench .venv/bin/python bench/training_compliance.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
Seeded: 60 organisations, 4 bands with 6–7 requirements each (some met by either of two courses; refresher
intervals of 24 or 36 months or none), ~3 completions per person over the last five years.
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def _seed(args: argparse.Namespace, today: dt.date) -> tuple[list, list, list, object]:
    """Organisations, courses, the standard's requirements per band, people with managers and completions."""
    from django.contrib.auth.models import Group
    from django.db import connection

    from core.roles import Role
    from partners.models import Organisation, Sector
    from training.models import Band, Completion, Course, Requirement, StandardVersion
    from workforce.models import StaffProfile, User

    began = time.perf_counter()
    sectors = [Sector.objects.create(name=f"Sector {i}", slug=f"sector-{i}", order=i) for i in range(6)]
    orgs = Organisation.objects.bulk_create([
        Organisation(name=f"Organisation {i:02}", slug=f"org-{i:02}", sector=sectors[i % 6], org_type="statutory")
        for i in range(60)
    ])  # fmt: skip
    courses = Course.objects.bulk_create([
        Course(code=f"K{i:02}", title=f"Course {i:02}", summary="-", duration="1 day") for i in range(30)
    ])  # fmt: skip
    version = StandardVersion.objects.create(name="Bench", effective_from=dt.date(2026, 1, 1), is_current=True)
    months = [36, 24, None, 36, None, 36, 24]
    for n in range(1, 5):
        band = Band.objects.create(number=n, label=f"Band {n}")
        for r in range(6 + n % 2):
            requirement = Requirement.objects.create(version=version, band=band, title=f"Requirement {r}",
                                                     refresher_months=months[r], order=r)
            requirement.courses.set(courses[r * 2:r * 2 + (2 if r % 2 else 1)])
    users = User.objects.bulk_create([
        User(email=f"person{i}@bench.example", first_name=f"First{i}", last_name=f"Last{i % 997}")
        for i in range(args.people)
    ], batch_size=2000)  # fmt: skip
    managers = users[::10]
    StaffProfile.objects.bulk_create([
        StaffProfile(user=u, organisation=orgs[i % 60], cts_band=1 + i % 4,
                     line_manager=None if i % 10 == 0 else managers[i // 10])
        for i, u in enumerate(users)
    ], batch_size=2000)  # fmt: skip
    Group.objects.get_or_create(name=Role.LINE_MANAGER.value)[0].user_set.add(*managers[:1])
    admin = User.objects.create_user(email="admin@bench.example", password="x")  # noqa: S106
    admin.is_superuser = admin.is_staff = True
    admin.save()
    Completion.objects.bulk_create([
        Completion(person=u, course=courses[(i * 7 + k) % 14], completed_on=today - dt.timedelta(days=(i * 31 + k * 97)
                                                                                                  % 1800))
        for i, u in enumerate(users) for k in range(3)
    ], batch_size=5000)  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    print(f"seeded {User.objects.count():,} people, {Requirement.objects.count()} requirements, "
          f"{Completion.objects.count():,} completions in {time.perf_counter() - began:.1f} s")
    return orgs, users, managers, admin


def main() -> None:
    args = _arguments()

    throwaway.django_setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from training.compliance import compliance_matrix
    from workforce.models import User

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    today = timezone.localdate()
    orgs, users, managers, admin = _seed(args, today)

    def timed(label, fn):
        fn()  # warm up
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                result = fn()
                times.append((time.perf_counter() - began) * 1000)
        print(f"{label:52} {len(queries):>7} {statistics.median(times):>10.1f} {max(times):>8.1f}")
        return result

    print(f"\n{'what':52} {'queries':>7} {'median ms':>10} {'max ms':>8}")
    everyone = User.objects.filter(profile__isnull=False)
    matrix = timed(f"compliance_matrix over all {args.people:,} people",
                   lambda: compliance_matrix(people=everyone, today=today))
    timed("compliance_matrix, one organisation",
          lambda: compliance_matrix(people=everyone.filter(profile__organisation=orgs[3]), today=today))
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)

    def get(path, params=None):
        response = client.get(path, params or {})
        assert response.status_code == 200, (path, response.status_code)
        return response

    timed("page: administrator's matrix, page 1 (all people)", lambda: get("/training/compliance/all/"))
    timed("page: administrator's matrix, filtered by band", lambda: get("/training/compliance/all/", {"band": 3}))
    rows = timed("CSV: administrator's export (every person)",
                 lambda: get("/training/compliance/all/export.csv")).content.count(b"\n") - 1
    client.force_login(managers[0])
    timed("page: a line manager's team (9 people)", lambda: get("/training/compliance/team/"))
    client.force_login(users[5])
    timed("page: My training (one person)", lambda: get("/training/my-training/"))
    states = matrix.totals
    print(f"\nCSV rows: {rows:,}; states over everyone: " + ", ".join(f"{s.label} {n:,}" for s, n in states.items()))


if __name__ == "__main__":
    main()
