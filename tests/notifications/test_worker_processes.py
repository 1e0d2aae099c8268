"""Reminders exactly once with real Celery worker processes on Redis and PostgreSQL: two workers running the
sweep at the same moment, and a worker killed in the middle of sending whose reminder another worker then sends.

Each worker is a separate `celery worker` process (prefork, one child) against the test database; emails go to
a folder (tests/notifications/mailbox.py), so every email any process sent is counted here."""

import datetime as dt
import email
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from actions.models import Strategy
from core.roles import Role
from notifications.models import Kind, Notification
from notifications.reminders import Candidate
from notifications.services import notifications_notify
from notifications.tasks import notification_send, notifications_requeue_stale, reminders_sweep
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.conftest import missing
from tests.notifications.mailbox import HELD
from tests.waiting import wait_for

from .factories import BookingFactory, SessionFactory

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


class Workers:
    """Start and kill `celery worker` processes; read what they sent."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mailbox = folder / "mailbox"
        self.mailbox.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        db = connection.settings_dict
        self.database_url = (f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                             f"{db['PORT'] or 5432}/{db['NAME']}")

    def start(self, name: str, *, hold_first_send: float = 0) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
               "DATABASE_URL": self.database_url, "TEST_MAILBOX_DIR": str(self.mailbox),
               "TEST_MAILBOX_HOLD_FIRST": str(hold_first_send)}
        log = (self.folder / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork", "--concurrency", "1",
             "--queues", "celery", "--hostname", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "INFO"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.processes[name] = process
        wait_for(lambda: b" ready." in (self.folder / f"{name}.log").read_bytes(),
                 lambda: f"worker {name} did not start:\n{self.log(name)}", timeout=120)
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-4000:]

    def kill(self, name: str) -> None:
        """SIGKILL the whole worker (its main process and its pool child), as a crash or `kill -9` would."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_child(self, name: str) -> None:
        """SIGKILL only the pool process running the task; the worker's main process lives on."""
        pid = self.processes[name].pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert children, "the worker has no pool process"
        os.kill(int(children[0]), signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def inside_send(self) -> bool:
        """A worker is inside the held send (tests/notifications/mailbox.py): killing it now kills it mid-send."""
        return (self.mailbox / HELD).exists()

    def idle(self) -> bool:
        """Nothing waits on the queue and no worker runs or holds a task: what was queued has been done."""
        from config.celery import app

        with app.connection_for_read() as conn:
            _name, queued, _consumers = conn.default_channel.queue_declare("celery")
        if queued:
            return False
        inspect = app.control.inspect(timeout=1)
        reports = [inspect.active(), inspect.reserved()]
        return all(report is not None and not any(report.values()) for report in reports)

    def sent(self) -> list[email.message.Message]:
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(self.mailbox.glob("*.eml"))]


@pytest.fixture
def workers(tmp_path, transactional_db):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        missing("Redis with PostgreSQL", "worker processes share the database and the broker "
                                       "(set DATABASE_URL to PostgreSQL and REDIS_URL)")
    from config.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    pool = Workers(tmp_path)
    yield pool
    pool.stop_all()
    app.control.purge()
    app.conf.task_always_eager = True


@pytest.fixture
def due_today(make_user):
    """Five leads with an action due in 7 days and one overdue each; three people booked on a session in 7 days.
    Today's sweep owes exactly eight emails: five digests and three session reminders."""
    leads = [make_user(Role.PRACTITIONER, email=f"lead{i}@example.org") for i in range(5)]
    attendees = [make_user(Role.PRACTITIONER, email=f"attendee{i}@example.org") for i in range(3)]
    today = timezone.localdate()
    theme = ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ACTIVE))
    for i, lead in enumerate(leads):
        ActionFactory(theme=theme, code=f"1.{i}", due_date=today + dt.timedelta(days=7), leads=[lead])
        ActionFactory(theme=theme, code=f"2.{i}", due_date=today - dt.timedelta(days=1), leads=[lead])
    week = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(10), tzinfo=timezone.get_current_timezone())
    session = SessionFactory(starts_at=week, ends_at=week + dt.timedelta(hours=3))
    for person in attendees:
        BookingFactory(session=session, person=person)
    return [u.email for u in leads + attendees]


def with_result(task, *args):
    """Queue the task asking for its result (the portal stores none: CELERY_TASK_IGNORE_RESULT)."""
    return task.apply_async(args, ignore_result=False)


def all_sent():
    return not Notification.objects.exclude(status=Notification.Status.SENT).exists()


def test_two_workers_running_the_sweep_at_once_send_each_reminder_once(workers, due_today):
    workers.start("one")
    workers.start("two")
    # Beat fired twice (say, two beat processes by mistake): two sweeps at the same moment on two workers.
    first, second = with_result(reminders_sweep), with_result(reminders_sweep)
    results = [first.get(timeout=120), second.get(timeout=120)]
    assert sum(r["created"] for r in results) == 8, results
    wait_for(lambda: Notification.objects.count() == 8 and all_sent(), lambda: workers.log("one"), timeout=120)
    wait_for(lambda: len(workers.sent()) >= 8, lambda: f"{len(workers.sent())} of 8 emails reached the server")

    # The same day again on both workers, and every send task delivered twice more: nothing new goes out.
    again = [with_result(reminders_sweep), with_result(reminders_sweep)]
    assert [r.get(timeout=120)["created"] for r in again] == [0, 0]
    duplicates = [with_result(notification_send, pk) for pk in Notification.objects.values_list("pk", flat=True)
                  for _ in range(2)]
    assert {d.get(timeout=120) for d in duplicates} == {"skipped"}
    wait_for(workers.idle, "the workers still have tasks queued or running")
    sent = workers.sent()
    assert sorted(m["To"] for m in sent) == sorted(due_today)
    assert len({m["Message-ID"] for m in sent}) == 8
    assert Notification.objects.filter(attempts=1).count() == 8


def one_notification(person) -> Notification:
    candidate = Candidate(kind=Kind.REFRESHER_REMINDER, recipient_id=person.pk, item_type="requirement", item_id=1,
                          label="Safeguarding level 2", url="http://testserver/training/", due_date=dt.date(2026, 5, 1),
                          stage="refresher-60", reason="expires on 1 May 2026", digest=False)
    notifications_notify(candidates=[candidate])  # its send task is queued at once
    return Notification.objects.get()


def test_a_worker_killed_while_sending_has_its_reminder_sent_once_by_another(workers, make_user):
    person = make_user(email="once@example.org")
    workers.start("doomed", hold_first_send=60)  # the mail server does not answer the first message
    notification = one_notification(person)
    wait_for(lambda: Notification.objects.get().status == Notification.Status.SENDING, lambda: workers.log("doomed"),
             timeout=60)
    wait_for(workers.inside_send, lambda: workers.log("doomed"))  # it is inside the send now
    workers.kill("doomed")
    assert workers.sent() == []  # the message never reached the server

    workers.start("rescuer")
    # Beat's every-minute pass finds the row "sending" with nobody holding its sender lock: queued again.
    assert with_result(notifications_requeue_stale).get(timeout=60) == 1
    wait_for(all_sent, lambda: workers.log("rescuer"), timeout=60)
    notification.refresh_from_db()
    assert notification.attempts == 2
    # The killed worker's own task comes back from the broker one day (visibility timeout): it sends nothing.
    assert with_result(notification_send, notification.pk).get(timeout=60) == "skipped"
    assert with_result(notifications_requeue_stale).get(timeout=60) == 0
    wait_for(workers.idle, "the workers still have tasks queued or running")
    assert [m["To"] for m in workers.sent()] == ["once@example.org"]


def test_a_pool_process_killed_while_sending_has_its_task_redelivered_and_sent_at_once(workers, make_user):
    person = make_user(email="once@example.org")
    workers.start("worker", hold_first_send=60)
    notification = one_notification(person)
    wait_for(lambda: Notification.objects.get().status == Notification.Status.SENDING, lambda: workers.log("worker"),
             timeout=60)
    wait_for(workers.inside_send, lambda: workers.log("worker"))
    workers.kill_child("worker")  # the worker's main process sees it lost and puts the task back on the queue
    # A new pool process takes the task again, finds the sender's lock gone and sends it: no waiting for a lease.
    wait_for(all_sent, lambda: workers.log("worker"), timeout=60)
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert notification.error == ""
    assert "the worker sending it stopped; sending it again" in workers.log("worker")
    wait_for(workers.idle, "the worker still has tasks queued or running")
    assert [m["To"] for m in workers.sent()] == ["once@example.org"]
