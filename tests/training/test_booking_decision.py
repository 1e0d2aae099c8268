"""On PostgreSQL a new booking is locked, decided and written in one statement (places._book_place_at_once,
calling training_book_place() from migration training 0004: in a booking rush the session's lock is held inside the
database only); approvals, and new bookings on SQLite, are decided by places._confirm_or_waitlist under the
session's lock. Here both decide the same new booking on the same bookings and must agree on everything a person
or a coordinator would see: the status, the waiting-list place, the history and the email."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.models import OutboxMessage
from tests.conftest import missing
from tests.training.factories import BookingFactory, SessionFactory
from training import selectors
from training.models import Booking, BookingEvent
from training.services import locks, places

pytestmark = pytest.mark.django_db
S = Booking.Status


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        missing("PostgreSQL", "the one-statement booking decision runs only there (DATABASE_URL)")


class _Undo(Exception):
    pass


def _by_the_orm(session, person, *, by, note, now):
    with locks._locked(session) as locked:
        booking = Booking(session=locked, person=person, status="", booked_by=by, created_at=now)
        return places._confirm_or_waitlist(booking, locked, by=by, note=note, now=now)


def _in_one_statement(session, person, *, by, note, now):
    return places._book_place_at_once(session, person=person, by=by, note=note, now=now)


def _decide(decide, session, person, *, by, note, now, capture):
    """Book `person` with one of the two deciders: what was decided, then undone."""
    try:
        with transaction.atomic():
            with capture() as callbacks:
                booking = decide(session, person, by=by, note=note, now=now)
            saved = Booking.objects.get(pk=booking.pk)
            event = BookingEvent.objects.get(booking=saved)
            seen = {
                "status": (booking.status, saved.status),
                "confirmed_at": (booking.confirmed_at, saved.confirmed_at),
                "waitlist_order": (booking.waitlist_order, saved.waitlist_order),
                "position": selectors.waitlist_position(saved),
                "booked": (saved.booked_by_id, saved.created_at),
                "event": (event.by_id, event.from_status, event.to_status, event.note, event.at),
                # The emails queued in the outbox: which, and the waiting-list place they will state.
                "emails": [(m.args[0], m.args[2].get("position")) for m in
                           OutboxMessage.objects.filter(task="training.tasks.booking_email_send").order_by("pk")],
                "relayed_after_commit": len(callbacks) > 0,
            }
            raise _Undo
    except _Undo:
        return seen


@pytest.mark.parametrize("held, waiting", [(0, 0), (1, 0), (2, 0), (3, 0), (3, 2)])
def test_the_one_statement_decides_as_the_orm_does(make_user, django_capture_on_commit_callbacks, held, waiting):
    session = SessionFactory(capacity=3)
    # Places are held by confirmed, attended and no-show bookings; cancelled and declined ones hold none.
    for status in [S.CONFIRMED, S.ATTENDED, S.NO_SHOW][:held]:
        BookingFactory(session=session, person=make_user(), status=status)
    BookingFactory(session=session, person=make_user(), status=S.CANCELLED)
    BookingFactory(session=session, person=make_user(), status=S.DECLINED)
    for order in range(1, waiting + 1):
        BookingFactory(session=session, person=make_user(), status=S.WAITLISTED, waitlist_order=order)
    person, coordinator = make_user(), make_user()
    now = timezone.now()

    notes = {person: "Booked.", coordinator: "Booked by a coordinator. Overlap with another booking confirmed."}
    for by, note in notes.items():
        orm, one_statement = (
            _decide(decide, session, person, by=by, note=note, now=now, capture=django_capture_on_commit_callbacks)
            for decide in (_by_the_orm, _in_one_statement)
        )
        assert one_statement == orm
        full = held == 3
        assert orm["status"] == ((S.WAITLISTED, S.WAITLISTED) if full else (S.CONFIRMED, S.CONFIRMED))
        assert orm["confirmed_at"] == ((None, None) if full else (now, now))
        assert orm["position"] == (waiting + 1 if full else None)
        assert orm["emails"] == [("booking_waitlisted", waiting + 1) if full else ("booking_confirmed", None)]
        assert orm["event"][3] == (f"{note} Session full: joined the waiting list." if full else note)
