"""`make chaos`: the portal on PostgreSQL, Redis and real Celery workers of its own, and the faults of issue 16
done to them while people use it (docs/reliability.md). Exit status 1 if any scenario's check failed.

    .venv/bin/python ops/chaos/run.py                 # all four scenarios, at most 6 minutes
    .venv/bin/python ops/chaos/run.py --only 2 4      # some of them
    .venv/bin/python ops/chaos/run.py --write-doc     # and put the figures in docs/reliability.md

Everything runs on loopback in a temporary folder: a PostgreSQL cluster made with initdb on a free port, a
redis-server on another (append-only file, as production), gunicorn from gunicorn.conf.py, a Celery worker
and beat, on the bench's settings (production's, plain http). Every step has a time limit and the whole run
one (--timeout); the processes and the folder are removed at the end whatever happens (their logs are kept in
var/chaos/logs).
The machine's own PostgreSQL and Redis (5432, 6379) are never used.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import PASSWORD, load  # noqa: E402
from ops.chaos.instances import Postgres, Processes, Redis  # noqa: E402
from ops.chaos.portal import Portal  # noqa: E402
from ops.chaos.report import Clock, Scenario, StepTimeout, markdown  # noqa: E402
from ops.chaos.scenarios import SCENARIOS, Context  # noqa: E402
from ops.chaos.seed import person_email, seed  # noqa: E402

DOC = ROOT / "docs" / "reliability.md"
BEGIN, END = "<!-- chaos:begin -->", "<!-- chaos:end -->"
KEPT_LOGS = ROOT / "var" / "chaos" / "logs"


def _stop_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def _commit() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,  # noqa: S603, S607
                              text=True, timeout=10, check=False).stdout.strip() or "?"
    except OSError:
        return "?"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", type=int, nargs="*", help="scenario numbers to run (default: all)")
    parser.add_argument("--timeout", type=float, default=float(os.environ.get("CHAOS_TIMEOUT", 360)),
                        help="seconds for the whole run (default 360)")
    parser.add_argument("--write-doc", action="store_true", help=f"write the figures into {DOC.relative_to(ROOT)}")
    return parser.parse_args()


def main() -> int:
    args = _arguments()
    logging.getLogger("urllib3").setLevel(logging.ERROR)  # a browser-like retry of a reset connection is no news
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    clock = Clock(args.timeout)
    scratch = Path(tempfile.mkdtemp(prefix="wf-chaos-"))
    scratch.chmod(0o755)  # PostgreSQL runs as its own user inside
    logs = scratch / "logs"
    logs.mkdir()
    processes = Processes(logs)
    chosen = [entry for entry in SCENARIOS if not args.only or entry[0] in args.only]
    results = [Scenario(number, title, fault) for number, title, _, _, fault in chosen]
    setup_error = ""
    made: dict = {}  # what set-up has started so far, for the clean-up
    setup_figures: list[str] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"chaos: {len(chosen)} scenarios, at most {args.timeout:.0f} s; scratch {scratch}; {load()}", flush=True)
    try:
        context = _set_up(clock, scratch, processes, setup_figures, made)
        _run_scenarios(context, chosen, results)
    except (Exception, StepTimeout, SystemExit, KeyboardInterrupt) as error:
        setup_error = f"{type(error).__name__}: {error}"
        print(f"\nchaos stopped: {setup_error}", flush=True)
        traceback.print_exc(limit=6)
    finally:
        clock.stop()
        if "portal" in made:
            made["portal"].stop_supervising()
        processes.stop_all()
        _keep_logs(logs)
        shutil.rmtree(scratch, ignore_errors=True)

    return _summary(results, setup_error=setup_error, setup_figures=setup_figures, started=started,
                    write_doc=args.write_doc, seconds=clock.elapsed())


def _set_up(clock: Clock, scratch: Path, processes: Processes, figures: list[str], made: dict) -> Context:
    """Our own PostgreSQL and Redis, the database migrated and seeded, the portal's processes, everyone signed in."""
    with clock.step("PostgreSQL (initdb) and Redis of our own", 60):
        (scratch / "postgres").mkdir()
        (scratch / "redis").mkdir()
        postgres = Postgres(scratch / "postgres", processes)
        redis = Redis(scratch / "redis", processes)
        postgres.create()
        redis.start()
        portal = made["portal"] = Portal(scratch, processes, postgres, redis)
        os.environ.update(portal.environment())
        print(f"  PostgreSQL on 127.0.0.1:{postgres.port}, Redis on 127.0.0.1:{redis.port}, "
              f"the portal on {portal.base}", flush=True)
    with clock.step("migrate", 150):
        began = time.monotonic()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        figures.append(f"migrate {time.monotonic() - began:.0f} s")
    with clock.step("seed", 60):
        seeded = seed()
        from django.db import connection

        connection.close()
    with clock.step("start gunicorn, a Celery worker and beat", 120):
        began = time.monotonic()
        portal.start_all()
        portal.supervise()
        figures.append(f"servers up {time.monotonic() - began:.0f} s")
    with clock.step(f"sign in {seeded.people} people", 120):
        began = time.monotonic()
        site = portal.site()
        page = f"/training/sessions/{seeded.rush_session}/"

        def signed_in(n: int):
            http = site.sign_in(person_email(n), PASSWORD)
            return http, site.csrf_token(http, page)

        with ThreadPoolExecutor(8) as pool:
            clients = list(pool.map(signed_in, range(seeded.people)))
        figures.append(f"{seeded.people} sign-ins {time.monotonic() - began:.0f} s")
    print(f"  ready in {clock.elapsed():.0f} s ({', '.join(figures)})", flush=True)
    return Context(portal=portal, postgres=postgres, redis=redis, seeded=seeded, site=site, clients=clients,
                   clock=clock)


def _run_scenarios(context: Context, chosen: list, results: list[Scenario]) -> None:
    """Each scenario within its time limit; one that fails or runs out of time is reported, and the next runs."""
    portal, clock = context.portal, context.clock
    for (number, title, run, seconds, _), result in zip(chosen, results, strict=True):
        print(f"\n== {number}. {title}", flush=True)
        began, deaths = time.monotonic(), len(portal.deaths)
        try:
            with clock.step(f"scenario {number}", seconds):
                run(context, result)
        except (Exception, StepTimeout) as error:  # noqa: BLE001 - reported, then the next scenario
            result.error = f"{type(error).__name__}: {error}"
            print(f"  STOPPED {result.error}", flush=True)
            traceback.print_exc(limit=4)
        finally:
            result.seconds = time.monotonic() - began
        _recover(context, result, portal.deaths_since(deaths))


def _recover(context: Context, result: Scenario, deaths: list[str]) -> None:
    """After a scenario: what died during it is said (the supervisor started it again at once, as
    docker-compose's restart policy would), and a server it left stopped is started, so the next one starts
    whole."""
    from django.db import connection

    if deaths:
        result.figure("died and restarted by the supervisor", "; ".join(deaths))
    connection.close()
    if not context.postgres.running():
        context.postgres.start()
    if not context.redis.running():
        context.redis.start()


def _keep_logs(logs: Path) -> None:
    try:
        shutil.rmtree(KEPT_LOGS, ignore_errors=True)
        KEPT_LOGS.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(logs, KEPT_LOGS)
    except OSError as error:
        print(f"logs not kept: {error}")


def _summary(results: list[Scenario], *, setup_error: str, setup_figures: list[str], started: str,
             write_doc: bool, seconds: float) -> int:
    print(f"\n== chaos summary ({seconds:.0f} s; {load()}; logs in {KEPT_LOGS.relative_to(ROOT)})")
    for r in results:
        failed = [c.what for c in r.checks if not c.ok]
        reason = r.error or "; ".join(failed) or ("not run" if not r.checks else "")
        print(f"{r.verdict} {r.number}. {r.title}{f' — {reason}' if reason else ''}")
    if setup_error:
        print(f"FAIL set-up: {setup_error}")
    ok = not setup_error and all(r.passed for r in results)
    print(f"CHAOS {'PASSED' if ok else 'FAILED'}")
    if write_doc:
        header = [f"Run of {started} on commit `{_commit()}`, {seconds:.0f} s in all ({', '.join(setup_figures)}); "
                  f"{load()}."]
        if setup_error:
            header.append(f"\n**The run stopped: {setup_error}**")
        text = DOC.read_text() if DOC.exists() else f"# Reliability\n\n{BEGIN}\n{END}\n"
        head, _, rest = text.partition(BEGIN)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{BEGIN}\n{markdown(results, header=header)}\n{END}{tail}")
        print(f"figures written to {DOC.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
