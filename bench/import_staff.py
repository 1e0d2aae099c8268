"""Benchmark: import a 25,000-row staff file (generated), then import it again, then read the dashboard."""

import argparse
import csv
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60
GOAL_MB = 500
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: import a 25,000-row staff file (generated), then import it again, then read the dashboard.

    .venv/bin/python bench/import_staff.py                 # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_a_bench .venv/bin/python bench/import_staff.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
Prints seconds and peak memory (the process's maximum resident set size) for each phase.
"""


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=25_000)
    parser.add_argument("--organisations", type=int, default=60)
    args = parser.parse_args()

    throwaway.django_setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from partners.models import Organisation, Sector
    from workforce import selectors, services
    from workforce.models import StaffProfile, User
    from workforce.staff_import import COLUMN_NAMES

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    sectors = [Sector.objects.create(name=f"Sector {i}", slug=f"sector-{i}", order=i) for i in range(8)]
    organisations = [
        Organisation.objects.create(name=f"Organisation {i:03}", slug=f"organisation-{i:03}",
                                    sector=sectors[i % 8], org_type="statutory")  # fmt: skip
        for i in range(args.organisations)
    ]
    admin = User.objects.create_user(email="bench.admin@bench.example", password=None)

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    for n in range(args.rows):
        manager = "" if n % 10 == 0 else f"person{n - n % 10:05}@bench.example"  # every tenth person manages nine
        writer.writerow([
            f"person{n:05}@bench.example", f"HR{n:06}", f"First{n}", f"Last{n}",
            organisations[(n // 10) % len(organisations)].name, "Practitioner", ["core", "wider"][n % 2],
            ["universal", "targeted", "specialist"][n % 3], str(1 + n % 4), manager, "paid",
            ["full", "part"][n % 5 == 0], f"20{10 + n % 15:02}-{1 + n % 12:02}-{1 + n % 28:02}",
        ])  # fmt: skip
    data = out.getvalue().encode()
    print(f"file: {args.rows:,} rows, {len(data) / 1024 / 1024:.1f} MB (CSV)")

    seconds = []

    def phase(label, fn):
        reset_queries()
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
        print(f"{label:<44} {seconds[-1]:7.2f} s   peak RSS so far {peak_mb():6.0f} MB")
        return result

    preview = phase("1. preview (read, check, keep the rows)", lambda: services.staff_import_preview(
        name="bench.csv", data=data, by=admin, organisation=None))  # fmt: skip
    assert preview.counts["new"] == args.rows, preview.counts
    counts = phase("2. confirm (check again, write, one transaction)",
                   lambda: services.staff_import_confirm(batch=preview.batch, by=admin))  # fmt: skip
    assert counts["new"] == args.rows and StaffProfile.objects.count() == args.rows
    again = phase("3. preview the same file again", lambda: services.staff_import_preview(
        name="bench.csv", data=data, by=admin, organisation=None))  # fmt: skip
    assert again.counts["unchanged"] == args.rows, again.counts
    counts = phase("4. confirm it (changes nothing)",
                   lambda: services.staff_import_confirm(batch=again.batch, by=admin))  # fmt: skip
    assert counts["unchanged"] == args.rows
    with CaptureQueriesContext(connection) as queries:
        figures = phase("5. dashboard figures for everyone", lambda: selectors.workforce_figures(
            on=timezone.localdate()))  # fmt: skip
    assert figures["total"] == args.rows
    print(f"   dashboard: {len(queries)} queries for {figures['total']:,} people")
    print(f"   {os.getloadavg()[0]:.2f} load average (1 min) on {os.cpu_count()} cores")

    first, again, peak = seconds[0] + seconds[1], seconds[2] + seconds[3], peak_mb()
    met = first <= GOAL_SECONDS and again <= GOAL_SECONDS and peak <= GOAL_MB
    print(f"\nP6 staff import of {args.rows:,} rows: {first:.1f} s new (preview + confirm), {again:.1f} s again "
          f"(all unchanged), peak memory {peak:.0f} MB")
    print(f"GOAL <= {GOAL_SECONDS} s and <= {GOAL_MB} MB: {'MET' if met else 'MISSED'} "
          f"({first:.1f} s and {again:.1f} s, {peak:.0f} MB)")


if __name__ == "__main__":
    main()
