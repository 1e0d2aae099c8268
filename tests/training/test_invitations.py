"""The .ics invitations read back with icalendar: right times in Europe/London, updates and cancellations."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.training.factories import SessionFactory
from training.invitations import session_ics

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _events(text: str):
    cal = Calendar.from_ical(text)
    return cal, [c for c in cal.walk("VEVENT")]


@pytest.mark.parametrize(
    ("start", "utc_hour"),
    [
        (dt.datetime(2031, 7, 1, 9, 30, tzinfo=LONDON), 8),  # British Summer Time: UTC+1
        (dt.datetime(2031, 1, 14, 9, 30, tzinfo=LONDON), 9),  # Greenwich Mean Time
    ],
)
def test_times_are_london_wall_clock_times(practitioner, start, utc_hour):
    session = SessionFactory(start=start, hours=3, days=2)
    cal, events = _events(session_ics(session, attendee=practitioner))
    assert str(cal["METHOD"]) == "REQUEST"
    assert len(events) == 2
    first = events[0]
    assert first["DTSTART"].dt == start
    assert first["DTSTART"].params["TZID"] == "Europe/London"
    assert first["DTSTART"].dt.astimezone(dt.UTC).hour == utc_hour
    assert first["DTEND"].dt == start + dt.timedelta(hours=3)
    assert events[1]["DTSTART"].dt == start + dt.timedelta(days=1)
    assert "(day 1 of 2)" in str(first["SUMMARY"])
    assert str(first["ATTENDEE"]) == f"mailto:{practitioner.email}"
    assert "Civic Centre" in str(first["LOCATION"])
    assert any(tz["TZID"] == "Europe/London" for tz in cal.walk("VTIMEZONE"))


def test_updates_keep_the_uid_and_raise_the_sequence_and_cancellations_cancel(practitioner):
    session = SessionFactory()
    _, [before] = _events(session_ics(session))
    session.ics_sequence = 2
    cal, [cancelled] = _events(session_ics(session, cancel=True))
    assert cancelled["UID"] == before["UID"]
    assert cancelled["SEQUENCE"] == 2
    assert str(cal["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
