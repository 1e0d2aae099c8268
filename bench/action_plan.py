"""Benchmark: the action plan at 10,000 actions (two leads each, 3 updates each): overview, action list pages
and filters, My actions, the action page, and the exports. Prints seconds and queries per request."""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import throwaway  # noqa: E402

# What --help prints: how to run it and what it measures.
HELP = """Benchmark: the action plan at 10,000 actions (two leads each, 3 updates each): overview, action list pages
and filters, My actions, the action page, and the exports. Prints seconds and queries per request.

    .venv/bin/python bench/action_plan.py                  # a throwaway SQLite database in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wf_d_bench .venv/bin/python bench/action_plan.py

With DATABASE_URL set, the database's name must end in "_bench": it is migrated and emptied first.
"""


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=300)
    return parser.parse_args()


def _measure(label, c, path) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c.get(path)  # warm (template loading, caches)
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = c.get(path)
        elapsed = time.perf_counter() - t0
    assert response.status_code == 200, (path, response.status_code)
    print(f"{label:<40} {elapsed * 1000:8.0f} ms  {len(queries):3} queries")


def main() -> None:
    args = _arguments()

    throwaway.django_setup()
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from actions.models import Action, StatusUpdate, Strategy, Theme
    from core.roles import Role
    from workforce.models import User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")

    start = time.perf_counter()
    strategist = User.objects.create_user(email="strategist@bench.example", password=None)
    strategist.groups.add(Group.objects.get_or_create(name=Role.STRATEGY_GROUP_MEMBER.value)[0])
    people = User.objects.bulk_create(
        [User(email=f"lead{n:04}@bench.example", first_name=f"Lead{n}", last_name=f"Person{n}")
         for n in range(args.people)]
    )
    strategy = Strategy.objects.create(title="Bench plan", period_start=date(2026, 1, 1),
                                       period_end=date(2028, 12, 31), status=Strategy.Status.ACTIVE)
    themes = Theme.objects.bulk_create(
        [Theme(strategy=strategy, code=str(n + 1), title=f"Aim {n + 1}", order=n) for n in range(6)]
    )
    statuses = ["green", "amber", "red", "completed", "dropped", "none"]
    today = timezone.localdate()
    actions = Action.objects.bulk_create([
        Action(strategy=strategy, theme=themes[n % 6], code=f"{n % 6 + 1}.{n // 6 + 1}",
               sort_key=f"{n % 6 + 1:06}.{n // 6 + 1:06}", title=f"Action number {n} about training and early help",
               description="Run a quarterly multi-agency welcome event.",
               due_date=today + timedelta(days=(n % 400) - 200) if n % 7 else None,
               current_status=statuses[n % 6], percent_complete=(n * 7) % 101)
        for n in range(args.actions)
    ], batch_size=2000)  # fmt: skip
    through = Action.leads.through
    through.objects.bulk_create(
        [through(action_id=a.pk, user_id=people[(i * 2 + k) % len(people)].pk)
         for i, a in enumerate(actions) for k in range(2)],
        batch_size=5000,
    )
    now = timezone.now()
    StatusUpdate.objects.bulk_create(
        [StatusUpdate(action_id=a.pk, status="green", percent_complete=10 * k, commentary=f"Update {k}.",
                      created_by=strategist, created_at=now - timedelta(days=30 * k))
         for a in actions for k in range(3)],
        batch_size=5000,
    )
    print(f"seeded {args.actions:,} actions, {2 * args.actions:,} leads, {3 * args.actions:,} updates "
          f"in {time.perf_counter() - start:.1f} s")

    client = Client()
    client.force_login(strategist)
    lead_client = Client()
    lead_client.force_login(people[0])
    sample = actions[len(actions) // 2]

    measure = _measure
    measure("overview (RAG by theme)", client, "/plan/")
    measure("action list, page 1", client, "/plan/actions/")
    measure("action list, page 100", client, "/plan/actions/?page=100")
    measure("action list, overdue", client, "/plan/actions/?overdue=on")
    measure("action list, due in 30 days", client, "/plan/actions/?due_soon=on")
    measure("action list, words", client, "/plan/actions/?q=early+help+welcome")
    measure("action list, theme + lead + status", client,
            f"/plan/actions/?theme={themes[0].pk}&lead={people[0].pk}&status=green")
    measure("my actions (a lead of ~67)", lead_client, "/plan/my-actions/")
    measure("action page", client, f"/plan/actions/{sample.pk}/")
    measure("home page panels (strategy group)", client, "/")
    measure("export CSV (all actions)", client, f"/plan/strategies/{strategy.pk}/export.csv")
    measure("export XLSX (all actions)", client, f"/plan/strategies/{strategy.pk}/export.xlsx")


if __name__ == "__main__":
    main()
