"""On the embedded defaults (`make run`: no REDIS_URL) the web server, the worker and beat are separate processes;
their cache is shared, so a change one makes (the worker's nightly retention job, say) makes stale what another
cached. Three processes here, as make run has."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # separate Python processes

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import django, sys
django.setup()
from core.caching import cache_namespace_bump, cached_in
if sys.argv[1] == "read":
    print(cached_in("people", "page", lambda: sys.argv[2]))
else:
    cache_namespace_bump("people")
"""


def test_a_change_in_one_process_makes_what_another_cached_stale(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", CACHE_DIR=str(tmp_path / "cache"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CELERY_FILESYSTEM_DIR=str(tmp_path / "celery"))

    def run(*args) -> str:
        result = subprocess.run([sys.executable, "-c", PROGRAM, *args], cwd=ROOT, env=env,  # noqa: S603
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run("read", "as it was") == "as it was"  # the web server caches a page
    assert run("read", "as it is now") == "as it was"  # and serves it again
    run("bump")  # the worker changes the data
    assert run("read", "as it is now") == "as it is now"
