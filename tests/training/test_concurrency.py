"""Capacity under concurrency, on PostgreSQL: many people booking the last places of one session at once.

Runs against PostgreSQL (DATABASE_URL). In CI a non-PostgreSQL database fails these tests rather than skipping
them; outside CI on SQLite they are skipped (SQLite serialises writers with BEGIN IMMEDIATE anyway)."""

import os
import threading

import pytest
from django.db import connection, connections

from tests.training.factories import BookingFactory, SessionFactory
from training import services
from training.errors import AlreadyBooked, Busy
from training.models import Booking, BookingEvent

pytestmark = pytest.mark.django_db(transaction=True)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        message = f"the concurrency tests need PostgreSQL (DATABASE_URL), not {connection.vendor}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _all_at_once(jobs):
    """Run each job in its own thread (own database connection), released together; collect results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_a_rush_for_the_last_places_never_overbooks(make_user):
    session = SessionFactory(capacity=6)
    for _ in range(3):
        BookingFactory(session=session, person=make_user(), status=Booking.Status.CONFIRMED)
    people = [make_user() for _ in range(16)]

    results = _all_at_once([lambda p=p: services.booking_create(session=session, person=p) for p in people])

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Busy)]
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)
    waiting = Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED)
    booked = [r for r in results if isinstance(r, Booking)]
    assert confirmed.count() == 6  # exactly capacity: 3 before, 3 from the rush
    assert waiting.count() == len(booked) - 3  # everyone else who got through waits; nobody lost
    assert len(booked) + sum(isinstance(r, Busy) for r in results) == 16
    positions = sorted(services.waitlist_position(b) for b in waiting)
    assert positions == list(range(1, waiting.count() + 1))
    assert BookingEvent.objects.filter(booking__session=session).count() == len(booked)


def test_the_same_person_clicking_twice_at_once_gets_one_booking(practitioner):
    session = SessionFactory(capacity=5)
    results = _all_at_once([lambda: services.booking_create(session=session, person=practitioner)] * 4)
    assert sum(isinstance(r, Booking) for r in results) == 1
    assert all(isinstance(r, Booking | AlreadyBooked) for r in results)
    assert Booking.objects.filter(session=session, person=practitioner).count() == 1


def test_cancel_and_book_at_once_keep_capacity(make_user):
    session = SessionFactory(capacity=2)
    holders = [services.booking_create(session=session, person=make_user()) for _ in range(2)]
    newcomers = [make_user() for _ in range(6)]
    jobs = [lambda b=b: services.booking_cancel(booking=b, by=b.person) for b in holders]
    jobs += [lambda p=p: services.booking_create(session=session, person=p) for p in newcomers]
    _all_at_once(jobs)
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 2
    assert Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED).count() == 4


def test_a_long_lock_wait_is_a_polite_busy_error(practitioner, monkeypatch):
    """Someone holds the session's lock longer than the timeout: the booking says 'busy, try again'."""
    from django.db import transaction

    session = SessionFactory(capacity=5)
    monkeypatch.setattr(services, "LOCK_TIMEOUT", "200ms")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            services._session_locked(session.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(10)
    try:
        with pytest.raises(Busy) as raised:
            services.booking_create(session=session, person=practitioner)
        assert "try again" in raised.value.message
    finally:
        release.set()
        holder.join()
    assert not Booking.objects.filter(session=session).exists()
