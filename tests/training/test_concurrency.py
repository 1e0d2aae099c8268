"""Capacity under concurrency, on PostgreSQL: many people booking the last places of one session at once.

Runs against PostgreSQL (DATABASE_URL). In CI a non-PostgreSQL database fails these tests rather than skipping
them; outside CI on SQLite they are skipped (SQLite serialises writers with BEGIN IMMEDIATE anyway)."""

import os
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from tests.training.factories import BookingFactory, SessionFactory
from training import selectors, services
from training.errors import AlreadyBooked, Busy, InvalidState
from training.models import Booking, BookingEvent
from training.services import locks

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
    positions = sorted(selectors.waitlist_position(b) for b in waiting)
    assert positions == list(range(1, waiting.count() + 1))
    assert BookingEvent.objects.filter(booking__session=session).count() == len(booked)


def test_a_rush_on_a_full_session_emails_each_waiting_position_once_as_the_pages_show_it(make_user, mailoutbox,
                                                                                         client):
    """20 people book a one-place session at once. Each request read the clock before it got the lock (here the
    later threads read an earlier time, as a request that started first but reached the lock last would): the
    waiting list is still the order places were taken under the lock, so the emails say number 1, 2, … 19
    once each, and each person's session page and My bookings show the number their email gave."""
    import datetime as dt
    import re

    from django.urls import reverse
    from django.utils import timezone

    session = SessionFactory(capacity=1)
    people = [make_user() for _ in range(20)]
    started = timezone.now()
    results = _all_at_once([
        lambda p=p, i=i: services.booking_create(session=session, person=p, now=started - dt.timedelta(seconds=i))
        for i, p in enumerate(people)
    ])

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Busy)], results
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 1
    waiting = list(selectors.waiting_list(session).select_related("person"))
    assert len(waiting) == sum(isinstance(r, Booking) for r in results) - 1  # nobody lost
    emailed = {}
    for message in mailoutbox:
        if message.subject.startswith("On the waiting list"):
            [number] = re.findall(r"at number (\d+)\.", message.body)
            emailed.setdefault(message.to[0], []).append(int(number))
    assert sorted(n for numbers in emailed.values() for n in numbers) == list(range(1, len(waiting) + 1))
    for position, booking in enumerate(waiting, start=1):
        assert emailed[booking.person.email] == [position]
        assert selectors.waitlist_position(booking) == position
        client.force_login(booking.person)
        assert f"You are <strong>number {position}</strong> on the waiting list." in client.get(
            session.get_absolute_url()).content.decode()
        assert f"<td>Number {position}</td>" in client.get(reverse("training:my_bookings")).content.decode()


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


@contextmanager
def lock_held_by_someone_else(session, monkeypatch):
    """While the block runs, another connection holds the session's lock (and this one gives up after 200 ms)."""
    from django.db import transaction

    monkeypatch.setattr(locks, "LOCK_TIMEOUT", "200ms")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with transaction.atomic():
            locks._session_locked(session.pk)
            locked.set()
            release.wait(10)
        connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_a_long_lock_wait_is_a_polite_busy_error(practitioner, monkeypatch):
    """Someone holds the session's lock longer than the timeout: the booking says 'busy, try again'."""

    session = SessionFactory(capacity=5)
    with lock_held_by_someone_else(session, monkeypatch), pytest.raises(Busy) as raised:
        services.booking_create(session=session, person=practitioner)
    assert "try again" in raised.value.message
    assert not Booking.objects.filter(session=session).exists()


# --- Cancellations racing each other and new bookings: promotion happens once, emails after commit -----------


def _promotion_emails(outbox, person) -> int:
    return sum(1 for m in outbox if m.to == [person.email] and m.subject.startswith("You have a place"))


def test_two_holders_cancelling_at_once_promote_the_first_two_waiting_once_each(make_user, mailoutbox):
    session = SessionFactory(capacity=2)
    holders = [services.booking_create(session=session, person=make_user()) for _ in range(2)]
    waiting = [services.booking_create(session=session, person=make_user()) for _ in range(3)]
    mailoutbox.clear()

    results = _all_at_once([lambda b=b: services.booking_cancel(booking=b, by=b.person) for b in holders])

    assert all(isinstance(r, Booking) for r in results), results
    for booking in waiting:
        booking.refresh_from_db()
    assert [b.status for b in waiting] == [Booking.Status.CONFIRMED, Booking.Status.CONFIRMED,
                                           Booking.Status.WAITLISTED]
    assert selectors.waitlist_position(waiting[2]) == 1
    assert Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count() == 2
    for booking in waiting[:2]:
        assert _promotion_emails(mailoutbox, booking.person) == 1
        assert booking.events.filter(note="Promoted from the waiting list.").count() == 1
    assert _promotion_emails(mailoutbox, waiting[2].person) == 0


def test_one_booking_cancelled_twice_at_once_frees_one_place_and_promotes_once(make_user, mailoutbox):
    session = SessionFactory(capacity=1)
    held = services.booking_create(session=session, person=make_user())
    first, second = (services.booking_create(session=session, person=make_user()) for _ in range(2))
    mailoutbox.clear()

    results = _all_at_once([lambda: services.booking_cancel(booking=held, by=held.person)] * 4)

    assert sum(isinstance(r, Booking) for r in results) == 1
    assert all(isinstance(r, Booking | InvalidState) for r in results), results
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)
    assert _promotion_emails(mailoutbox, first.person) == 1
    assert sum(1 for m in mailoutbox if m.to == [held.person.email]) == 1  # one cancellation email
    assert held.events.filter(to_status=Booking.Status.CANCELLED).count() == 1


def test_newcomers_never_jump_the_waiting_list_when_a_place_is_freed(make_user, mailoutbox):
    """The holder cancels while six newcomers book: the freed place goes to the person already waiting, in the
    cancelling transaction, so every newcomer is wait-listed behind them whatever the order."""
    session = SessionFactory(capacity=1)
    held = services.booking_create(session=session, person=make_user())
    waiting = services.booking_create(session=session, person=make_user())
    newcomers = [make_user() for _ in range(6)]
    mailoutbox.clear()

    jobs = [lambda: services.booking_cancel(booking=held, by=held.person)]
    jobs += [lambda p=p: services.booking_create(session=session, person=p) for p in newcomers]
    results = _all_at_once(jobs)

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Busy)], results
    waiting.refresh_from_db()
    assert waiting.status == Booking.Status.CONFIRMED
    assert list(Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED)) == [waiting]
    booked = [r for r in results[1:] if isinstance(r, Booking)]
    assert {b.status for b in booked} == {Booking.Status.WAITLISTED}
    assert Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED).count() == len(booked)
    assert _promotion_emails(mailoutbox, waiting.person) == 1


def test_a_manager_approving_during_a_rush_never_overbooks(make_user, manager, team_member):
    from tests.training.factories import CourseFactory

    session = SessionFactory(capacity=3, course=CourseFactory(needs_manager_approval=True))
    requests = [services.booking_create(session=session, person=team_member()) for _ in range(3)]
    rushers = [team_member() for _ in range(6)]
    jobs = [lambda b=b: services.booking_approve(booking=b, by=manager) for b in requests]
    jobs += [lambda p=p: services.booking_create(session=session, person=p) for p in rushers]
    results = _all_at_once(jobs)

    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Busy)], results
    confirmed = Booking.objects.filter(session=session, status=Booking.Status.CONFIRMED).count()
    waiting = Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED).count()
    pending = Booking.objects.filter(session=session, status=Booking.Status.PENDING_APPROVAL).count()
    approved = sum(isinstance(r, Booking) for r in results[:3])
    assert confirmed <= 3  # the rushers' requests wait for approval and hold no place
    assert confirmed + waiting == approved
    assert pending == 3 - approved + sum(isinstance(r, Booking) for r in results[3:])


def test_a_busy_session_is_a_polite_message_on_the_page_not_an_error(client, practitioner, monkeypatch):
    """Over HTTP: while someone else holds the session's lock, pressing "Book a place" shows the busy message
    and books nothing; the page is a normal one, never a 500."""
    from django.urls import reverse

    session = SessionFactory(capacity=5)
    client.force_login(practitioner)
    with lock_held_by_someone_else(session, monkeypatch):
        response = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == session.get_absolute_url()
    assert "Lots of people are booking this session right now. Nothing has changed" in response.content.decode()
    assert not Booking.objects.filter(session=session).exists()
    response = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)  # trying again works
    assert "Your place is booked" in response.content.decode()


def test_a_rolled_back_cancellation_promotes_nobody_and_mails_nobody(make_user, mailoutbox):
    """Emails leave only after the transaction commits: if the cancelling transaction is rolled back, the promotion
    is undone with it and the person waiting hears nothing."""
    from django.db import transaction

    session = SessionFactory(capacity=1)
    held = services.booking_create(session=session, person=make_user())
    waiting = services.booking_create(session=session, person=make_user())
    mailoutbox.clear()

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        services.booking_cancel(booking=held, by=held.person)
        assert Booking.objects.get(pk=waiting.pk).status == Booking.Status.CONFIRMED  # same transaction
        raise Undo
    held.refresh_from_db(), waiting.refresh_from_db()
    assert (held.status, waiting.status) == (Booking.Status.CONFIRMED, Booking.Status.WAITLISTED)
    assert mailoutbox == []
    services.booking_cancel(booking=held, by=held.person)  # committed this time
    assert _promotion_emails(mailoutbox, waiting.person) == 1


def test_cancelling_while_the_session_is_busy_is_a_polite_message_too(client, practitioner, monkeypatch):
    from django.urls import reverse

    session = SessionFactory(capacity=5)
    booking = services.booking_create(session=session, person=practitioner)
    client.force_login(practitioner)
    with lock_held_by_someone_else(session, monkeypatch):
        response = client.post(reverse("training:booking_cancel", args=[booking.pk]), follow=True)
    assert response.status_code == 200
    assert "Nothing has changed — please try again." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
