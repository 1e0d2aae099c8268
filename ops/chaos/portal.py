"""The portal as production runs it, on the harness's own PostgreSQL and Redis: gunicorn (the repository's
gunicorn.conf.py), a Celery worker (prefork, both queues) and Celery beat (the outbox relay, the stale-send and
stale-render passes), all on ops/chaos/settings.py (the bench's settings: production's, plain http on loopback).

The scheduled jobs run at production's intervals except the outbox relay, every OUTBOX_RELAY_SECONDS (3 s
here, 15 s in production), so a run stays short. The daily jobs (reminder sweep, Board reports, retention)
are set to an hour twelve hours away, so beat never starts one during a run: the harness starts what it needs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench import server as bench_server

from .instances import Postgres, Processes, Redis, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "ops.chaos.settings"
OUTBOX_RELAY_SECONDS = 3
WORKER_CONCURRENCY = 2


@dataclass
class Portal:
    scratch: Path
    processes: Processes
    postgres: Postgres
    redis: Redis
    port: int = field(default_factory=free_port)
    workers_started: int = 0
    # What the supervisor saw die and started again: (seconds into the run, name, its last words).
    deaths: list[tuple[float, str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._supervising = threading.Event()
        self._began = time.monotonic()
        self._killed = ""
        self.mail_dir = self.scratch / "mail"
        self.media = self.scratch / "media"
        self.static = self.scratch / "static"
        for folder in (self.mail_dir, self.media, self.static):
            folder.mkdir(exist_ok=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """What every process of the portal (and the harness itself) runs with. The CI's own DATABASE_URL and
        REDIS_URL (the shared services) are replaced, never used."""
        away = str((dt.datetime.now().hour + 12) % 24)
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "CHAOS_MAIL_DIR": str(self.mail_dir),
            "MEDIA_ROOT": str(self.media),
            "BENCH_STATIC_ROOT": str(self.static),
            "SITE_URL": self.base,
            # Behind one proxy, as production (prod.py's default): the client is X-Forwarded-For's last entry.
            "TRUSTED_PROXY_COUNT": "1",
            "OUTBOX_RELAY_SECONDS": str(OUTBOX_RELAY_SECONDS),
            "REMINDER_SWEEP_HOUR": away, "BOARD_REPORT_HOUR": away, "RETENTION_HOUR": away,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")])),
        }

    def collectstatic(self) -> None:
        bench_server._collectstatic(self.environment())

    def start_web(self) -> None:
        self.processes.start("gunicorn", [
            sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
        ], env=self.environment(), cwd=ROOT)

    def _chatty(self) -> dict[str, str]:
        """Celery's processes log at INFO: the worker says " ready." and each task it runs, beat each job."""
        return {**self.environment(), "LOG_LEVEL": "INFO"}

    def start_worker(self, *, wait: bool = True) -> str:
        """A Celery worker on both queues; its name (worker-1, worker-2, …). Waits until it is ready."""
        with self._lock:
            self.workers_started += 1
            name = f"worker-{self.workers_started}"
            self._start_worker_process(name)
        if wait:
            log = self.processes.logs / f"{name}.log"
            wait_until(lambda: b" ready." in log.read_bytes() or self._dead(name), timeout=90,
                       what=f"Celery {name} ready")
        return name

    def kill_worker(self) -> str:
        """kill -9 of the worker's whole process group (main process and pool), as a crash would; the supervisor
        leaves it dead (the scenario starts the next one). Its name."""
        with self._lock:
            name = self.worker
            self._killed = name
            self.processes.kill(name)
        return name

    def _start_worker_process(self, name: str) -> None:
        number = name.rsplit("-", 1)[1]
        self.processes.start(name, [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
            f"--concurrency={WORKER_CONCURRENCY}", "--pool=prefork", "-Q", "celery,reports", "--without-gossip",
            "--without-mingle", "--without-heartbeat", "-n", f"chaos-{number}@%h",
        ], env=self._chatty(), cwd=ROOT)

    @property
    def worker(self) -> str:
        return f"worker-{self.workers_started}"

    def start_beat(self) -> None:
        self.processes.start("beat", [
            sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
            f"--pidfile={self.scratch / 'beat.pid'}", f"--schedule={self.scratch / 'beat-schedule'}",
        ], env=self._chatty(), cwd=ROOT)

    def _dead(self, name: str) -> bool:
        if not self.processes.alive(name):
            raise RuntimeError(f"{name} stopped at start-up:\n{self.processes.log_tail(name)}")
        return False

    def wait_until_up(self, timeout: float = 90) -> float:
        def answers() -> bool:
            self._dead("gunicorn")
            try:
                return requests.get(f"{self.base}/healthz", timeout=5).status_code == 200
            except requests.RequestException:
                return False

        return wait_until(answers, timeout=timeout, every=0.2, what="gunicorn answering /healthz with 200")

    def start_all(self) -> None:
        self.collectstatic()
        self.start_web()
        self.start_worker()
        self.start_beat()
        self.wait_until_up()

    def site(self) -> bench_server.Site:
        """The bench's browser-like client factory (sign-in through the real form, CSRF tokens)."""
        return bench_server.Site(base=self.base, mail_dir=self.mail_dir, logs=self.processes.logs,
                                 pids={name: p.pid for name, p in self.processes.running.items()})

    def dump_stacks(self) -> int:
        """Every gunicorn worker writes all its threads' stacks to gunicorn.log (ops/chaos/settings.py); how many
        were asked. Only the workers: the master has not loaded the settings, and the signal would end it."""
        from ops.chaos.settings import STACKS_SIGNAL

        master = self.processes.running.get("gunicorn")
        if master is None:
            return 0
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, STACKS_SIGNAL)
        time.sleep(0.5)
        return len(pids)

    # --- the supervisor: what docker-compose's `restart: unless-stopped` does for web, worker and beat -------

    def supervise(self) -> None:
        """Start a thread that starts again, at once, any of gunicorn, the worker and beat that stops without
        being told to (the worker killed on purpose is left to the scenario), and records each death."""
        self._supervising.set()
        threading.Thread(target=self._supervisor, name="supervisor", daemon=True).start()

    def stop_supervising(self) -> None:
        self._supervising.clear()

    def _supervisor(self) -> None:
        while self._supervising.is_set():
            time.sleep(0.5)
            with self._lock:
                if not self._supervising.is_set():
                    return
                for name in ("gunicorn", self.worker, "beat"):
                    if name == self._killed or self.processes.alive(name) or name not in self.processes.running:
                        continue
                    words = _last_words(self.processes.log_tail(name, 20000))
                    self.deaths.append((time.monotonic() - self._began, name, words))
                    print(f"  ! {name} died ({words}); started again", flush=True)
                    self.processes.stop(name)
                    if name == "gunicorn":
                        self.start_web()
                    elif name == "beat":
                        self.start_beat()
                    else:
                        self._start_worker_process(name)

    def deaths_since(self, mark: int) -> list[str]:
        return [f"{name} ({words})" for _, name, words in self.deaths[mark:]]


def _last_words(log: str) -> str:
    """What a process said as it died: its last CRITICAL or ERROR line, else its last line."""
    lines = [line for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        if "CRITICAL" in line or "Unrecoverable" in line or "ERROR" in line:
            return line.split("] ", 1)[-1][:200]
    return lines[-1][:200] if lines else "no log"
