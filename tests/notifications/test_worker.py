"""The sweep and the sends through a real Celery worker (Redis in CI, the filesystem broker otherwise)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from actions.models import Strategy
from core.roles import Role
from notifications.models import Notification
from notifications.services import reminders_sweep
from notifications.tasks import notification_send
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.waiting import tasks, wait_for

from .conftest import DAY, at

pytestmark = pytest.mark.worker


@pytest.fixture
def leads(make_user):
    return [make_user(Role.PRACTITIONER, email=f"lead{i}@example.org") for i in range(5)]


@pytest.fixture
def plan(leads):
    theme = ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ACTIVE))
    for i, lead in enumerate(leads):
        ActionFactory(theme=theme, code=f"1.{i}", due_date=DAY + dt.timedelta(days=7), leads=[lead])
        ActionFactory(theme=theme, code=f"2.{i}", due_date=DAY - dt.timedelta(days=1), leads=[lead])


def test_the_sweep_run_twice_at_once_sends_each_lead_one_email_through_the_worker(plan, leads, celery_worker):
    with time_machine.travel(at(DAY), tick=True):
        errors = []

        def run():
            try:
                reminders_sweep()
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        if connection.vendor == "postgresql":
            threads = [threading.Thread(target=run) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:  # the in-memory SQLite test database cannot wait on a lock across threads: one after the other
            run()
            run()
        assert errors == []
        # (Poll the outbox, not the database: the in-memory SQLite test database locks whole tables.)
        wait_for(lambda: len(mail.outbox) == 5, "the worker did not send the reminders")
        wait_for(tasks.all_finished, tasks.describe)
        assert reminders_sweep().created == 0  # a third run the same day: nothing new
        ids = list(Notification.objects.values_list("pk", flat=True))
        # Duplicate deliveries of every task (a broker redelivery, a retry) send nothing more.
        for pk in ids:
            notification_send.delay(pk)
        wait_for(tasks.all_finished, tasks.describe)  # each has run: any second email would be out
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(lead.email for lead in leads)
    assert all("2 actions and milestones" in m.subject for m in mail.outbox)
