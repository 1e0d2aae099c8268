"""Named locks: while another connection holds a job's lock, the job does nothing (the reminder sweep, the
retention run); a name's key is the same in every process."""

import subprocess
import sys

import pytest
from django.db import connection

from core.locking import lock_key, lock_space
from notifications.services import SWEEP_LOCK, reminders_sweep
from privacy.models import RetentionRun
from privacy.services import RETENTION_LOCK, retention_run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def held_elsewhere():
    """hold(name): another connection takes the named transaction lock and keeps it until the test ends."""
    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's (SQLite's IMMEDIATE transactions serialise the jobs)")
    import psycopg2

    settings = connection.settings_dict
    other = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                             host=settings["HOST"], port=settings["PORT"] or 5432)

    def hold(name: str) -> None:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(name)])

    yield hold
    other.rollback()
    other.close()


def test_a_sweep_finding_the_lock_taken_does_nothing(held_elsewhere):
    held_elsewhere(SWEEP_LOCK)
    assert reminders_sweep().skipped


def test_a_retention_run_finding_the_lock_taken_does_nothing_and_logs_nothing(held_elsewhere):
    held_elsewhere(RETENTION_LOCK)
    assert retention_run() is None
    assert not RetentionRun.objects.exists()


def test_a_names_key_is_the_same_in_another_process():
    """Two processes (a worker and a web server, or two releases) must take the same lock for the same name."""
    code = "from core.locking import lock_key, lock_space; print(lock_key('notifications.sweep'), lock_space('x'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,  # noqa: S603
                         check=True).stdout.split()
    assert out == [str(lock_key("notifications.sweep")), str(lock_space("x"))]
    assert 0 < lock_space("x") < 2**31 and 0 < lock_key("notifications.sweep") < 2**63
