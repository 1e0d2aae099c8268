"""The production-like server every HTTP bench runs against: gunicorn on PostgreSQL and Redis with
production's settings and a real Celery worker. DATABASE_URL must end in "_bench": it is emptied (bench/README.md)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from urllib3.util import Retry

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SETTINGS = "config.settings.bench"
PASSWORD = "bench-password-123"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def check_environment() -> None:
    """Stop with a clear message unless the bench has a throwaway PostgreSQL database and Redis."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database whose name ends in _bench (it is emptied first).")
    if not url.split("?")[0].rstrip("/").endswith("_bench"):
        sys.exit("DATABASE_URL must name a throwaway database ending in _bench: it is emptied first.")
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        sys.exit("Set REDIS_URL to a Redis database kept for the bench, e.g. redis://127.0.0.1:6379/6 "
                 "(it is emptied first).")


def database_create_if_missing() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:  # the "postgres" maintenance database
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')


def prepare() -> None:
    """Set up Django with the bench settings in this process, migrate and empty the database, empty Redis."""
    check_environment()
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    database_create_if_missing()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    print(f"database: {connection.vendor} {connection.pg_version // 10000} ({connection.settings_dict['NAME']}); "
          f"redis: {settings.REDIS_URL}")
    connection.close()


def load() -> str:
    """The machine's load average (1, 5, 15 minutes) and core count, for the record."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def _process_tree(pid: int) -> list[int]:
    """The process and all its descendants (from /proc; Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, ()))
    return tree


def _cpu_of(pids) -> dict[int, float]:
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (user, nice, system, interrupts), all cores together."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def cpu_used(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds each part used between two Site.cpu_snapshot()s (processes started meanwhile count whole)."""
    return {part: sum(cpu - before[part].get(pid, 0.0) for pid, cpu in after[part].items()) for part in after}


@dataclass
class Site:
    base: str
    mail_dir: Path
    logs: Path
    pids: dict[str, int]

    def cpu_snapshot(self) -> dict[str, dict[int, float]]:
        """CPU seconds used so far by each process of gunicorn (master and workers), of the Celery worker, and
        by each PostgreSQL backend serving this database. cpu_used(before, after) gives the work done between
        two snapshots, whatever else the machine was doing."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                           "AND pid <> pg_backend_pid()")
            backends = [pid for (pid,) in cursor.fetchall()]
        return {
            "gunicorn": _cpu_of(_process_tree(self.pids["gunicorn"])),
            "worker": _cpu_of(_process_tree(self.pids["worker"])),
            "postgres": _cpu_of(backends),
        }

    def wait_until_quiet(self, *, busy_below: float = 0.15, window: float = 0.5, timeout: float = 30) -> float:
        """Wait until the machine has been nearly idle (less than `busy_below` of one core busy) for `window`
        seconds, so work a rush left behind (emails still being rendered, PostgreSQL's autovacuum after its
        inserts) is not counted against the next rush. The seconds waited; gives up quietly after `timeout`."""
        began = time.perf_counter()
        before = _machine_busy()
        while time.perf_counter() - began < timeout:
            time.sleep(window)
            after = _machine_busy()
            if after - before < busy_below * window:
                break
            before = after
        return time.perf_counter() - began

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def sign_in(self, email: str, password: str = PASSWORD) -> requests.Session:
        """A browser-like client, signed in through the real sign-in form (CSRF, django-axes, sessions)."""
        http = requests.Session()
        # Like a browser, retry a GET whose kept-alive connection the server had just closed.
        http.mount("http://", requests.adapters.HTTPAdapter(max_retries=Retry(total=2, connect=2, read=2,
                                                                              allowed_methods={"GET", "HEAD"})))
        page = http.get(self.url("/accounts/sign-in/"), timeout=60)
        page.raise_for_status()
        response = http.post(
            self.url("/accounts/sign-in/"),
            data={"username": email, "password": password, "csrfmiddlewaretoken": CSRF.search(page.text).group(1)},
            headers={"Referer": self.url("/accounts/sign-in/")},
            timeout=60,
        )
        if response.status_code != 200 or "/accounts/sign-in/" in response.url:
            raise RuntimeError(f"sign-in failed for {email} (HTTP {response.status_code})")
        return http

    def csrf_token(self, http: requests.Session, path: str) -> str:
        """Load a page as the person would before pressing its button; the form's CSRF token."""
        page = http.get(self.url(path), timeout=60)
        page.raise_for_status()
        return CSRF.search(page.text).group(1)

    def mail_sent(self) -> int:
        """Emails the worker has sent: Django's file backend ends each one with a line of 79 dashes (and may
        append several to one file)."""
        line = b"\n" + b"-" * 79 + b"\n"
        return sum(path.read_bytes().count(line) for path in self.mail_dir.iterdir())

    def wait_for_mail(self, count: int, timeout: float = 300) -> float:
        """Wait until the worker has sent `count` emails; the seconds it took. Raises if it never does."""
        began = time.perf_counter()
        while self.mail_sent() < count:
            if time.perf_counter() - began > timeout:
                raise RuntimeError(f"only {self.mail_sent()} of {count} emails sent after {timeout:.0f} s "
                                   f"(worker log: {self.logs / 'worker.log'})")
            time.sleep(0.2)
        return time.perf_counter() - began


def _collectstatic(env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                   check=True)


def _wait_until_up(base: str, processes: dict[str, subprocess.Popen], logs: Path) -> None:
    for _ in range(300):
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped at start-up; see {logs / (name + '.log')}:\n"
                                   + (logs / f"{name}.log").read_text()[-3000:])
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz; see {logs}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def running(*, port: int, workers: int | None = None, threads: int | None = None, celery_concurrency: int = 1):
    """gunicorn on 127.0.0.1:`port` and one Celery worker, both on the bench settings; stopped on exit.

    workers/threads default to gunicorn.conf.py's (WEB_CONCURRENCY / GUNICORN_THREADS, as in production)."""
    check_environment()
    # Stopped with SIGTERM (a timeout, kill): still stop the servers, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    scratch = Path(tempfile.mkdtemp(prefix="wf-bench-server-"))
    mail_dir, logs = scratch / "mail", scratch / "logs"
    mail_dir.mkdir()
    logs.mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_MAIL_DIR": str(mail_dir), "PYTHONUNBUFFERED": "1"}
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    if threads:
        env["GUNICORN_THREADS"] = str(threads)
    _collectstatic(env)
    base = f"http://127.0.0.1:{port}"
    processes: dict[str, subprocess.Popen] = {}
    try:
        with open(logs / "gunicorn.log", "wb") as web_log, open(logs / "worker.log", "wb") as worker_log:
            processes["gunicorn"] = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT,
            )
            processes["worker"] = subprocess.Popen(
                ["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=WARNING",
                 f"--concurrency={celery_concurrency}", "-Q", "celery,reports", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-n", f"bench-{port}@%h"],
                cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
            )
        _wait_until_up(base, processes, logs)
        print(f"server: gunicorn on {base} ({_gunicorn_shape(env)}), a Celery worker "
              f"(concurrency {celery_concurrency}); {load()}")
        yield Site(base=base, mail_dir=mail_dir, logs=logs, pids={k: p.pid for k, p in processes.items()})
    finally:
        for process in processes.values():
            _stop(process)
        if os.environ.get("BENCH_KEEP_LOGS"):
            print(f"logs kept in {logs}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def _gunicorn_shape(env: dict) -> str:
    sys.path.insert(0, str(ROOT))
    import importlib.util

    spec = importlib.util.spec_from_file_location("_gunicorn_conf", ROOT / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        spec.loader.exec_module(conf)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return f"{conf.workers} workers x {conf.threads} threads, {conf.worker_class}"
