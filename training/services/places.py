"""Deciding places under the session's lock: confirm or wait-list, promote, and the history each change leaves."""


import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_save
from django.utils import timezone

from core.caching import cache_namespace_bump
from core.locking import busy_raises
from workforce.models import User

from .. import emails
from ..errors import (
    Busy,
)
from ..models import (
    Booking,
    BookingEvent,
    Session,
)
from ..selectors.catalogue import course_places_namespace
from ..selectors.my_training import person_namespace
from ..selectors.places import places_taken, waiting_list
from . import locks

S = Booking.Status


def _notify(send: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    """Queue an email in the outbox (core/outbox.py) inside the caller's transaction: it commits with the change
    or not at all, and is sent after commit even if the broker is down then (docs/training.md, "Emails")."""
    send(*args, **kwargs)


def _record(booking: Booking, *, by: User | None, from_status: str, to_status: str, note: str = "",
            at: dt.datetime | None = None) -> None:
    BookingEvent.objects.create(
        booking=booking, by=by, from_status=from_status, to_status=to_status, note=note[:300], at=at or timezone.now()
    )


def _set_status(booking: Booking, to_status: str, *, by: User | None, note: str = "", now: dt.datetime | None = None,
                **fields: Any) -> Booking:
    now = now or timezone.now()
    from_status = booking.status
    booking.status = to_status
    if to_status == S.CONFIRMED and booking.confirmed_at is None:
        booking.confirmed_at = now
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save()
    _record(booking, by=by, from_status=from_status, to_status=to_status, note=note, at=now)
    return booking


def _confirm_or_waitlist(booking: Booking, session: Session, *, by: User | None, note: str, now: dt.datetime,
                         approved: bool = False) -> Booking:
    """With the session locked: a free place confirms the booking, otherwise it joins the waiting list at the
    back — now, under the lock, whenever the request started (or, approved late, was first made). One query
    counts the places taken and the people waiting, and reads the highest waiting-list number given so far."""
    counts = Booking.objects.filter(session=session).aggregate(
        taken=Count("pk", filter=Q(status__in=Booking.PLACE_STATUSES)),
        waiting=Count("pk", filter=Q(status=S.WAITLISTED)),
        last=Max("waitlist_order"),
    )
    if counts["taken"] < session.capacity:
        _set_status(booking, S.CONFIRMED, by=by, note=note, now=now)
    else:
        _set_status(booking, S.WAITLISTED, by=by, note=_full_session_note(note), now=now,
                    waitlist_order=(counts["last"] or 0) + 1)
    _tell_outcome(booking, waiting=counts["waiting"], approved=approved)
    return booking


def _full_session_note(note: str) -> str:
    """The history note of a booking that joined the waiting list."""
    return f"{note} Session full: joined the waiting list.".strip()


def _tell_outcome(booking: Booking, *, waiting: int, approved: bool = False) -> None:
    """After commit, tell the person their place, or their place on the waiting list: the `waiting` people already
    on it are ahead (their numbers are lower), so the position the pages will show."""
    if booking.status == S.CONFIRMED:
        _notify(emails.booking_confirmed, booking, approved=approved)
    else:
        _notify(emails.booking_waitlisted, booking, position=waiting + 1, approved=approved)


def _book_place_at_once(session: Session, *, person: User, by: User, note: str,
                        now: dt.datetime) -> Booking | None:
    """A new booking decided and written in one statement inside PostgreSQL (training_book_place, migration
    0004); None when the session's row changed since it was read, and the caller decides under its lock."""
    # Inside a caller's transaction (a test, a script), a savepoint keeps that transaction usable if the statement
    # fails; a request has none, and a transaction of its own would hold the lock until its COMMIT's round trip.
    inside = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with busy_raises(Busy), inside, connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM training_book_place(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [session.pk, person.pk, by.pk, now, session.status, session.starts_at, session.booking_opens_at,
             session.booking_closes_at, list(Booking.PLACE_STATUSES), S.CONFIRMED, S.WAITLISTED, note[:300],
             _full_session_note(note)[:300], locks.LOCK_TIMEOUT],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    booking = Booking(session=session, person=person, booked_by=by, created_at=now, updated_at=now)
    booking.pk, booking.status, booking.confirmed_at, booking.waitlist_order, waiting = row
    booking._state.adding, booking._state.db = False, connection.alias
    cache_namespace_bump(course_places_namespace(session.course_id), at_once=False)
    # Written without Model.save(): its receivers (the person's cached pages) are told as save() would tell them.
    post_save.send(sender=Booking, instance=booking, created=True, update_fields=None, raw=False,
                   using=connection.alias)
    _tell_outcome(booking, waiting=waiting)
    return booking


def _waiting_list_moved(session: Session) -> None:
    """Someone left the session's waiting list or was promoted from it: everyone still waiting moves up, so their
    own pages (My training) are stale. Found and told after commit, outside the lock."""

    def tell() -> None:
        waiting = Booking.objects.filter(session_id=session.pk, status=S.WAITLISTED).values_list("person_id", flat=True)
        names = [person_namespace(pk) for pk in waiting]
        if names:
            cache_namespace_bump(*names)

    transaction.on_commit(tell)


def _promote_waiting(session: Session, *, by: User | None, now: dt.datetime) -> list[Booking]:
    """With the session locked: fill free places from the front of the waiting list, telling each person."""
    promoted: list[Booking] = []
    free = session.capacity - places_taken(session)
    if free <= 0 or session.status != Session.Status.SCHEDULED:
        return promoted
    for booking in waiting_list(session).select_related("person__profile__line_manager")[:free]:
        _set_status(booking, S.CONFIRMED, by=by, note="Promoted from the waiting list.", now=now)
        _notify(emails.booking_confirmed, booking, promoted=True)
        promoted.append(booking)
    if promoted:
        _waiting_list_moved(session)
    return promoted

