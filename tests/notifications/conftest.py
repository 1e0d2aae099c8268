import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from actions.models import Strategy
from tests.actions.factories import StrategyFactory, ThemeFactory

LONDON = ZoneInfo("Europe/London")
# The fixture day: a Monday in March, the sweep at 07:00.
DAY = dt.date(2026, 3, 2)


def at(day: dt.date, hour: int = 7, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def on_day():
    """on_day(day): travel to 07:00 (Europe/London) on that day; returns the traveller."""
    travellers = []

    def go(day: dt.date = DAY, hour: int = 7):
        for t in travellers:
            t.stop()
        travellers.clear()
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()
        travellers.append(traveller)
        return traveller

    yield go
    for t in travellers:
        t.stop()


@pytest.fixture
def theme(db):
    strategy = StrategyFactory(status=Strategy.Status.ACTIVE, title="Updated Action Plan 2026-27")
    return ThemeFactory(strategy=strategy, title="A confident and competent workforce")


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """sweep(): the daily sweep, with its after-commit sends run (tasks run inline in tests)."""
    from notifications.services import reminders_sweep

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(**kwargs)

    return run
