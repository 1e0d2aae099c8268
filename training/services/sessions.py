"""Sessions scheduled, changed and cancelled; everyone booked hears about what changed."""


import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from workforce.models import User

from .. import emails
from ..errors import (
    InvalidState,
)
from ..models import (
    Booking,
    Session,
    SessionDate,
)
from ..selectors.places import places_taken
from .locks import _locked
from .places import _notify, _promote_waiting, _set_status

S = Booking.Status


# === Sessions ===========================================================================================


@dataclass(frozen=True)
class DateSpan:
    starts_at: dt.datetime
    ends_at: dt.datetime


SESSION_FIELDS = (
    "course", "event", "capacity", "venue_name", "venue_address", "access_notes", "online_url",
    "booking_opens_at", "booking_closes_at", "notes",
)

# Changes to these (or to the dates) are news for everyone booked.
NEWSWORTHY = {
    "venue_name": "venue", "venue_address": "address", "access_notes": "access notes",
    "online_url": "online link", "notes": "notes",
}


def _dates_set(session: Session, dates: Iterable[DateSpan]) -> None:
    session.dates.all().delete()
    SessionDate.objects.bulk_create(
        [SessionDate(session=session, starts_at=d.starts_at, ends_at=d.ends_at) for d in sorted(
            dates, key=lambda d: d.starts_at)]
    )
    span = session.dates.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    session.starts_at, session.ends_at = span["first"], span["last"]
    session.save(update_fields=["starts_at", "ends_at"])


def session_create(*, by: User | None, dates: Iterable[DateSpan], trainers: Iterable[User] = (),
                   **fields: Any) -> Session:
    dates = list(dates)
    if not dates:
        raise ValueError("A session needs at least one date.")
    fields = {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in fields.items()}  # as session_update
    with transaction.atomic():
        session = Session.objects.create(**{k: v for k, v in fields.items() if k in SESSION_FIELDS})
        session.trainers.set(trainers)
        _dates_set(session, dates)
    return session


def _live_bookings(session: Session) -> list[Booking]:
    return list(
        session.bookings.filter(status__in=[S.CONFIRMED, S.WAITLISTED, S.PENDING_APPROVAL]).select_related(
            "person__profile__line_manager"
        )
    )


def session_update(*, session: Session, by: User | None, dates: Iterable[DateSpan], trainers: Iterable[User] = (),
                   now: dt.datetime | None = None, **fields: Any) -> tuple[Session, list[str], list[Booking]]:
    """Change a session. Everyone booked hears about changes to dates, venue or link (with an updated .ics);
    more places fill from the waiting list (returned, so the coordinator is told who); fewer places than are
    taken is refused. Returns the session, the changes people were told of, and the bookings promoted."""
    now = now or timezone.now()
    dates = sorted(dates, key=lambda d: d.starts_at)
    if not dates:
        raise ValueError("A session needs at least one date.")
    with _locked(session) as locked:
        if locked.status == Session.Status.CANCELLED:
            raise InvalidState("This session has been cancelled and can no longer be changed.")
        taken = places_taken(locked)
        if fields.get("capacity", locked.capacity) < taken:
            people = "person already holds a place" if taken == 1 else "people already hold places"
            raise InvalidState(f"{taken} {people}, so the capacity cannot go below {taken}. Nothing was changed.",
                               field="capacity")
        old_dates = [(d.starts_at, d.ends_at) for d in locked.dates.all()]
        fields = {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in fields.items()}
        changes = [
            label for name, label in NEWSWORTHY.items() if name in fields and getattr(locked, name) != fields[name]
        ]
        if old_dates != [(d.starts_at, d.ends_at) for d in dates]:
            changes.insert(0, "dates or times")
        for name, value in fields.items():
            if name in SESSION_FIELDS:
                setattr(locked, name, value)
        if changes:
            locked.ics_sequence += 1
        locked.save()
        locked.trainers.set(trainers)
        removed_days = []
        if "dates or times" in changes:
            _dates_set(locked, dates)
            removed_days = [(number, start, end) for number, (start, end) in enumerate(old_dates, start=1)
                            if number > len(dates)]
        promoted = _promote_waiting(locked, by=by, now=now)
        if changes:  # those just promoted have the new details in their "you have a place" email
            told = [b for b in _live_bookings(locked) if b.pk not in {p.pk for p in promoted}]
            _notify(emails.session_changed, locked, bookings=told, changes=changes,
                    removed_days=removed_days, days_before=len(old_dates))
    return locked, changes, promoted


def session_cancel(*, session: Session, by: User | None, reason: str, now: dt.datetime | None = None) -> Session:
    """Cancel a session: every live booking is cancelled and its person told (with an .ics cancellation)."""
    now = now or timezone.now()
    with _locked(session) as locked:
        if locked.status != Session.Status.SCHEDULED:
            raise InvalidState("Only a scheduled session can be cancelled.")
        bookings = _live_bookings(locked)
        locked.status = Session.Status.CANCELLED
        locked.ics_sequence += 1
        locked.save(update_fields=["status", "ics_sequence", "updated_at"])
        note = f"Session cancelled by {by}." + (f" {reason.strip()}" if reason.strip() else "")
        for booking in bookings:
            _set_status(booking, S.CANCELLED, by=by, note=note, now=now, cancelled_by=by, cancelled_at=now)
        _notify(emails.session_cancelled, locked, bookings=bookings, reason=reason.strip())
    return locked

