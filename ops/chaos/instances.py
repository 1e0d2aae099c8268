"""Servers of the harness's own, each in a temporary folder on a free loopback port: a PostgreSQL cluster made
with initdb and a redis-server without persistence. Faults are done to these, never to the machine's shared
PostgreSQL (5432) and Redis (6379), which the rest of CI is using.

Every process the harness starts is a child that dies with it (PR_SET_PDEATHSIG), in a session of its own so
its whole group can be stopped; `Processes.stop_all()` ends them all, in reverse order of start.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("CHAOS_PG_BIN", "/usr/local/bin"))
REDIS_SERVER = os.environ.get("CHAOS_REDIS_SERVER", shutil.which("redis-server") or "/usr/bin/redis-server")
SHARED_PORTS = {5432, 6379}  # the machine's own PostgreSQL and Redis: never ours, never touched
_PR_SET_PDEATHSIG = 1


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 (and never the shared services' ports)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in SHARED_PORTS:
            return port


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: receive SIGKILL when the harness dies, however it dies (set after any change of user)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(condition, *, timeout: float, every: float = 0.1, what: str = "condition") -> float:
    """Poll `condition` until it is true; the seconds it took. Raises TimeoutError naming `what`."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - began


@dataclass
class Processes:
    """Every process the harness started, by name; stopped in reverse order, each group SIGTERM then SIGKILL."""

    logs: Path
    running: dict[str, subprocess.Popen] = field(default_factory=dict)
    stop_signals: dict[str, int] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], *, env: dict | None = None, cwd: Path | None = None,
              user: str | None = None, stop_signal: int = signal.SIGTERM) -> subprocess.Popen:
        if name in self.running and self.running[name].poll() is None:
            raise RuntimeError(f"{name} is already running")
        log = (self.logs / f"{name}.log").open("ab")
        try:
            process = subprocess.Popen(  # noqa: S603 - our own command lines, no shell
                argv, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=_die_with_parent, user=user, group=user,
            )
        finally:
            log.close()
        self.running[name] = process
        self.stop_signals[name] = stop_signal
        return process

    def alive(self, name: str) -> bool:
        return name in self.running and self.running[name].poll() is None

    def log_tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the process's whole group (a worker's main process and its pool), as kill -9 would."""
        process = self.running[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        if sig == signal.SIGKILL:
            process.wait(timeout=30)

    def stop(self, name: str, *, grace: float = 15) -> None:
        process = self.running.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, self.stop_signals.get(name, signal.SIGTERM))
                process.wait(timeout=grace)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left of the group (a pool process, a PostgreSQL backend).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)


def _owned_by(path: Path, user: str | None) -> None:
    if user:
        shutil.chown(path, user=user, group=user)


@dataclass
class Postgres:
    """A PostgreSQL cluster of our own: initdb in `folder`, listening on 127.0.0.1:`port` only (and a Unix
    socket inside the folder). As root it runs as the `postgres` user, since PostgreSQL refuses root."""

    folder: Path
    processes: Processes
    port: int = field(default_factory=free_port)
    user: str | None = None

    def __post_init__(self) -> None:
        if os.geteuid() == 0:
            self.user = os.environ.get("CHAOS_PG_USER", "postgres")
        self.data = self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def _run(self, *argv: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603 - our own command line
            list(argv), check=True, timeout=timeout, user=self.user, group=self.user, cwd=self.folder,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def create(self) -> None:
        _owned_by(self.folder, self.user)
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        self.start()
        connection = self._connect()
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("CREATE DATABASE portal")
        finally:
            connection.close()

    def _connect(self):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                                connect_timeout=2)

    def start(self) -> float:
        """Start the postmaster (as `pg_ctl start` would) and wait until it accepts connections; seconds taken."""
        began = time.monotonic()
        self.processes.start("postgres", [
            str(PG_BIN / "postgres"), "-D", str(self.data), "-p", str(self.port), "-k", str(self.folder),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=120", "-c", "shared_buffers=64MB",
        ], user=self.user, cwd=self.folder, stop_signal=signal.SIGINT)  # SIGINT: a fast shutdown
        wait_until(self.ready, timeout=60, what="PostgreSQL accepting connections")
        return time.monotonic() - began

    def running(self) -> bool:
        return self.processes.alive("postgres")

    def ready(self) -> bool:
        if not self.processes.alive("postgres"):
            raise RuntimeError("PostgreSQL stopped at start-up:\n" + self.processes.log_tail("postgres"))
        import psycopg2

        try:
            self._connect().close()
        except psycopg2.OperationalError:
            return False
        return True

    def stop_fast(self) -> float:
        """`pg_ctl stop -m fast`: every connection is ended at once, open transactions rolled back."""
        began = time.monotonic()
        self._run(str(PG_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast", "-w", timeout=60)
        self.processes.running["postgres"].wait(timeout=30)
        self.processes.running.pop("postgres")
        return time.monotonic() - began


@dataclass
class Redis:
    """A redis-server of our own on 127.0.0.1:`port`, configured as docs/operations.md asks of production: no
    snapshots, but an append-only file, so the tasks waiting in its queues survive its restart."""

    folder: Path
    processes: Processes
    port: int = field(default_factory=free_port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> float:
        began = time.monotonic()
        self.processes.start("redis", [
            REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
            "--appendfsync", "always",
            "--dir", str(self.folder), "--daemonize", "no", "--protected-mode", "yes",
        ], cwd=self.folder)
        wait_until(lambda: port_open(self.port) or self._dead(), timeout=30, what="Redis accepting connections")
        return time.monotonic() - began

    def running(self) -> bool:
        return self.processes.alive("redis")

    def _dead(self) -> bool:
        if not self.processes.alive("redis"):
            raise RuntimeError("redis-server stopped at start-up:\n" + self.processes.log_tail("redis"))
        return False

    def stop(self) -> float:
        """SHUTDOWN without saving (SIGTERM with --save ""): the queues and the cache are gone."""
        began = time.monotonic()
        self.processes.stop("redis")
        return time.monotonic() - began
