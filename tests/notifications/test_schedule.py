"""A fresh install has its schedule: beat's database scheduler writes the jobs from settings on first start."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app

pytestmark = pytest.mark.django_db(transaction=True)  # (the scheduler closes its connection)


def test_beat_on_a_fresh_database_schedules_the_sweep_the_quarterly_reports_and_the_requeue_passes():
    assert not PeriodicTask.objects.exclude(name="celery.backend_cleanup").exists()
    DatabaseScheduler(app=app, lazy=False)
    tasks = {t.name: t for t in PeriodicTask.objects.select_related("crontab", "interval")}
    sweep = tasks["reminders-daily-sweep"]
    assert (sweep.task, sweep.crontab.hour, sweep.crontab.minute) == ("notifications.tasks.reminders_sweep", "7", "0")
    assert str(sweep.crontab.timezone) == "Europe/London"
    reports = tasks["board-reports-daily"]
    assert (reports.task, reports.crontab.hour, reports.crontab.minute) == ("actions.tasks.board_reports_daily",
                                                                          "6", "30")
    assert (tasks["notifications-requeue-stale"].interval.every, tasks["notifications-requeue-stale"].interval.period
            ) == (60, "seconds")
    assert tasks["board-reports-requeue-stale"].task == "actions.tasks.board_reports_requeue_stale"
    assert all(t.enabled for t in tasks.values())
