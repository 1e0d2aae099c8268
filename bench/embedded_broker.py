"""The embedded broker under load: producer processes queue tasks to worker processes through the filesystem
broker that `make run` and a newcomer's `make test` use; none may be lost, no worker may stop.
`python -m bench.embedded_broker [--tasks N] [--producers N] [--workers N] [--transport ours|kombu]`"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from celery import Celery

TRANSPORTS = {"ours": "core.filesystem_broker:Transport", "kombu": "kombu.transport.filesystem:Transport"}
FOLDER = Path(os.environ.get("BROKER_BENCH_DIR", tempfile.gettempdir()))

# Not the process's current app: the tests import this module, and shared tasks go to the current app.
app = Celery("broker_bench", broker="filesystem://localhost/", set_as_current=False,
             broker_transport=TRANSPORTS[os.environ.get("BROKER_BENCH_TRANSPORT", "ours")])
app.conf.update(
    broker_transport_options={
        "data_folder_in": str(FOLDER / "queue"), "data_folder_out": str(FOLDER / "queue"),
        "processed_folder": str(FOLDER / "processed"), "control_folder": str(FOLDER / "control"),
        "store_processed": False,
    },
    task_acks_late=True, worker_prefetch_multiplier=1, task_ignore_result=True,
    broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
)


@app.task(name="broker_bench.done")
def done(number: int, padding: str = "") -> None:
    """One file per task; a second delivery of the same task is kept as a second file."""
    folder = FOLDER / "done"
    try:
        (folder / str(number)).open("x").close()
    except FileExistsError:
        (folder / f"{number}.again.{time.monotonic_ns()}").touch()


def _produce(first: int, count: int, padding: int = 0) -> None:
    for number in range(first, first + count):
        done.delay(number, "x" * padding)
        time.sleep(0.002)  # about as fast as the workers take them: they read each message just as it is written


def run(*, tasks: int, producers: int, workers: int, transport: str = "ours", padding: int = 0,
        timeout: float = 300) -> dict:
    """Queue `tasks` from `producers` processes to `workers` processes; what arrived, twice, and who died."""
    with tempfile.TemporaryDirectory(prefix="broker-bench-") as folder:
        for name in ("queue", "processed", "control", "done"):
            (Path(folder) / name).mkdir()
        env = {**os.environ, "BROKER_BENCH_DIR": folder, "BROKER_BENCH_TRANSPORT": transport}
        here = Path(__file__).resolve().parent.parent
        started = time.monotonic()
        consumers = [
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "bench.embedded_broker", "worker", "--pool=solo",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
                 "-n", f"bench{i}@%h"],
                cwd=here, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            )
            for i in range(workers)
        ]
        share = tasks // producers
        makers = [
            subprocess.Popen([sys.executable, "-c", f"from bench.embedded_broker import _produce; "
                              f"_produce({i * share}, {share if i < producers - 1 else tasks - i * share}, {padding})"],
                             cwd=here, env=env)
            for i in range(producers)
        ]
        for maker in makers:
            maker.wait(timeout=timeout)
        done_folder = Path(folder) / "done"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(list(done_folder.glob("[0-9]*"))) < tasks:
            if any(consumer.poll() is not None for consumer in consumers):
                break
            time.sleep(0.2)
        seconds = time.monotonic() - started
        dead = [consumer for consumer in consumers if consumer.poll() is not None]
        for consumer in consumers:
            if consumer.poll() is None:
                consumer.send_signal(signal.SIGTERM)
        errors = "".join(consumer.communicate(timeout=30)[1] for consumer in consumers)
        names = [path.name for path in done_folder.iterdir()]
        return {
            "tasks": tasks, "delivered": sum("." not in n for n in names), "twice": sum("." in n for n in names),
            "workers_down": len(dead), "producers_failed": sum(m.returncode != 0 for m in makers),
            "unreadable_set_aside": len(list((Path(folder) / "processed").glob("unreadable/*"))),
            "seconds": round(seconds, 1), "errors": errors,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--producers", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--transport", choices=sorted(TRANSPORTS), default="ours")
    parser.add_argument("--padding", type=int, default=0, help="bytes added to each message (a larger window)")
    args = parser.parse_args()
    result = run(tasks=args.tasks, producers=args.producers, workers=args.workers, transport=args.transport,
                 padding=args.padding)
    errors = result.pop("errors")
    if "Unrecoverable" in errors or "Traceback" in errors:
        print(errors[-3000:])
    print(" ".join(f"{key}={value}" for key, value in result.items()))
    ok = result["delivered"] == args.tasks and not result["workers_down"] and not result["producers_failed"]
    print(f"CHECK embedded broker ({args.transport}): {result['delivered']} of {args.tasks} delivered, "
          f"{result['workers_down']} workers down, {result['twice']} twice: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
