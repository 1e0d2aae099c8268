"""Which of a person's other bookings count as overlapping a session they are booking (asked to confirm)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.training.factories import BookingFactory, SessionFactory
from training import services
from training.errors import AlreadyBooked, OverlapNeedsConfirmation
from training.models import Booking, Session

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture
def start():
    return (timezone.localtime() + dt.timedelta(days=20)).replace(hour=9, minute=30, second=0, microsecond=0)


def test_a_live_booking_at_the_same_time_is_named_as_the_overlap(practitioner, start):
    held = SessionFactory(start=start, hours=3, course__title="Held course")
    BookingFactory(session=held, person=practitioner, status=S.WAITLISTED)
    with pytest.raises(OverlapNeedsConfirmation) as raised:
        services.booking_create(session=SessionFactory(start=start + dt.timedelta(hours=1)), person=practitioner)
    assert [(s.pk, s.course.title) for s in raised.value.sessions] == [(held.pk, "Held course")]


def test_the_second_day_of_a_two_day_session_overlaps(practitioner, start):
    BookingFactory(session=SessionFactory(start=start, hours=7, days=2), person=practitioner)
    next_day = SessionFactory(start=start + dt.timedelta(days=1, hours=2), hours=2)
    with pytest.raises(OverlapNeedsConfirmation):
        services.booking_create(session=next_day, person=practitioner)


def test_a_session_on_a_day_between_the_days_of_a_longer_one_does_not_overlap(practitioner, start):
    """Dates are compared one by one, not as the first start to the last end: a three-day session's middle day
    is free when its dates are the first and third (here: the second date is removed)."""
    long_one = SessionFactory(start=start, hours=7, days=3)
    long_one.dates.order_by("starts_at")[1].delete()
    BookingFactory(session=long_one, person=practitioner)
    between = SessionFactory(start=start + dt.timedelta(days=1), hours=7)
    assert services.booking_create(session=between, person=practitioner).status == S.CONFIRMED


def test_back_to_back_sessions_cancelled_places_and_cancelled_sessions_do_not_overlap(practitioner, make_user, start):
    BookingFactory(session=SessionFactory(start=start, hours=3), person=practitioner)  # ends as the next starts
    BookingFactory(session=SessionFactory(start=start + dt.timedelta(hours=3)), person=practitioner,
                   status=S.CANCELLED)
    BookingFactory(session=SessionFactory(start=start + dt.timedelta(hours=3), status=Session.Status.CANCELLED),
                   person=practitioner)
    BookingFactory(session=SessionFactory(start=start + dt.timedelta(hours=3)), person=make_user())  # not theirs
    booking = services.booking_create(session=SessionFactory(start=start + dt.timedelta(hours=3)),
                                      person=practitioner)
    assert booking.status == S.CONFIRMED


def test_booking_the_same_session_again_is_refused_and_changes_nothing(practitioner, start):
    session = SessionFactory(start=start)
    first = services.booking_create(session=session, person=practitioner)
    with pytest.raises(AlreadyBooked):
        services.booking_create(session=session, person=practitioner)
    assert list(Booking.objects.filter(session=session).values_list("pk", "status")) == [(first.pk, S.CONFIRMED)]
    assert first.events.count() == 1
