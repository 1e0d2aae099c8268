"""A person's booking: made, cancelled, approved or declined by their line manager, passed to a colleague."""

import datetime as dt

from django.db import IntegrityError, connection
from django.utils import timezone

from workforce.models import User

from .. import emails
from ..errors import (
    AlreadyBooked,
    BookingNotOpen,
    InvalidState,
    NoLineManager,
    NotAllowed,
    OverlapNeedsConfirmation,
    PrerequisitesMissing,
)
from ..models import (
    Booking,
    Session,
    moment_label,
)
from ..selectors.places import overlapping_sessions, prerequisites_missing
from .locks import _locked
from .places import (
    _book_place_at_once,
    _confirm_or_waitlist,
    _notify,
    _promote_waiting,
    _set_status,
    _waiting_list_moved,
)

S = Booking.Status


# === Booking use cases ==================================================================================


def _personal_checks(session: Session, person: User, *, by: User, confirm_overlap: bool,
                     now: dt.datetime) -> tuple[User | None, bool, str]:
    """Before the lock: (the manager to approve, or None; approved by booking; the history note), or raise."""
    closed = session.booking_closed_reason(now)
    if closed:
        raise BookingNotOpen(closed)
    missing = prerequisites_missing(course=session.course, person=person)
    if missing:
        raise PrerequisitesMissing(missing)
    clashes = overlapping_sessions(session=session, person=person)
    if clashes and not confirm_overlap:
        raise OverlapNeedsConfirmation(clashes)
    manager = None
    if session.course.needs_manager_approval:
        manager = getattr(getattr(person, "profile", None), "line_manager", None)
        if manager is None:
            raise NoLineManager()
    approved_by_booking = manager is not None and manager == by  # a manager booking their own report approves it
    note = "Booked." if by == person else f"Booked by {by}."
    if approved_by_booking:
        note += " Approved by booking: they are the line manager."
    if clashes:
        note += " Overlap with another booking confirmed."
    return (None if approved_by_booking else manager), approved_by_booking, note


def booking_create(*, session: Session, person: User, by: User | None = None, confirm_overlap: bool = False,
                   now: dt.datetime | None = None) -> Booking:
    """Book `person` on `session`: confirmed, wait-listed, or waiting for their line manager's approval.
    Personal checks run before the lock; the lock only counts and writes (docs/training.md)."""
    now = now or timezone.now()
    by = by or person
    manager, approved_by_booking, note = _personal_checks(session, person, by=by, confirm_overlap=confirm_overlap,
                                                          now=now)
    try:  # the unique constraint's error: a live booking of the person's already, perhaps made from another tab
        if manager is None and not approved_by_booking and connection.vendor == "postgresql":  # no approval
            booking = _book_place_at_once(session, person=person, by=by, note=note, now=now)
            if booking is not None:
                return booking
        with _locked(session) as session:
            closed = session.booking_closed_reason(now)  # again, under the lock: it may have been cancelled meanwhile
            if closed:
                raise BookingNotOpen(closed)
            # Not saved yet (status "" so the first event reads "new → …"): the status change inserts it.
            booking = Booking(session=session, person=person, status="", booked_by=by, created_at=now)
            if manager is not None:
                _set_status(booking, S.PENDING_APPROVAL, by=by, note=f"{note} Sent to {manager} for approval.",
                            now=now)
                _notify(emails.booking_approval_requested, booking)
            else:
                if approved_by_booking:
                    booking.approved_by, booking.approved_at = by, now
                _confirm_or_waitlist(booking, session, by=by, note=note, now=now, approved=approved_by_booking)
    except IntegrityError as error:
        raise AlreadyBooked() from error
    return booking


def booking_create_for(*, session: Session, person: User, by: User, confirm_overlap: bool = False) -> Booking:
    """A coordinator (anyone) or a line manager (their own team) books a named person: the same rules and lock
    as booking oneself, recorded as booked by them, and the person is told who booked them."""
    from ..permissions import is_coordinator

    profile = getattr(person, "profile", None)
    if not is_coordinator(by) and (profile is None or profile.line_manager_id != by.pk):
        raise NotAllowed("You can book places for people in your team only.")
    if person == by:
        raise NotAllowed("To book a place for yourself, use Book a place on the session's page.")
    return booking_create(session=session, person=person, by=by, confirm_overlap=confirm_overlap)


def _cancel_locked(booking: Booking, session: Session, *, by: User | None, now: dt.datetime, note: str) -> Booking:
    booking.refresh_from_db()
    if booking.status not in (S.CONFIRMED, S.PENDING_APPROVAL, S.WAITLISTED):
        raise InvalidState("This booking can no longer be cancelled.")
    if session.starts_at and session.starts_at <= now:
        raise InvalidState("This session has started, so the booking can no longer be cancelled.")
    late = booking.status == S.CONFIRMED and now > session.cancellation_deadline
    to_status = S.LATE_CANCELLED if late else S.CANCELLED
    if late:
        note = f"{note} Late: after the cancellation deadline.".strip()
    was = booking.status
    _set_status(booking, to_status, by=by, note=note, now=now, cancelled_by=by, cancelled_at=now)
    _notify(emails.booking_cancelled, booking, late=late, by_someone_else=by != booking.person, note=note,
            was=was)
    if was == S.CONFIRMED:  # a place is free
        _promote_waiting(session, by=by, now=now)
    elif was == S.WAITLISTED:
        _waiting_list_moved(session)
    return booking


def booking_cancel(*, booking: Booking, by: User | None, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking. After the course's cancellation deadline it is recorded as a late cancellation.
    A freed place goes to the first on the waiting list in the same transaction."""
    now = now or timezone.now()
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        note = "Left the waiting list." if booking.status == S.WAITLISTED else "Cancelled."
        return _cancel_locked(booking, session, by=by, now=now, note=note)


def waitlist_leave(*, booking: Booking, by: User | None, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        if booking.status != S.WAITLISTED:
            raise InvalidState("You are no longer on this waiting list.")
        return _cancel_locked(booking, session, by=by, now=now, note="Left the waiting list.")


def _check_is_line_manager(booking: Booking, manager: User) -> None:
    profile = getattr(booking.person, "profile", None)
    if profile is None or profile.line_manager_id != manager.pk:
        raise NotAllowed("Only the person's line manager can do that.")


def booking_approve(*, booking: Booking, by: User, now: dt.datetime | None = None) -> Booking:
    """The line manager approves: the booking takes a free place or joins the waiting list."""
    now = now or timezone.now()
    _check_is_line_manager(booking, by)
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        if booking.status != S.PENDING_APPROVAL:
            raise InvalidState("This booking is no longer waiting for approval.")
        booking.approved_by, booking.approved_at = by, now
        if session.status != Session.Status.SCHEDULED or (session.starts_at and session.starts_at <= now):
            raise InvalidState("This session is no longer running, so the booking cannot be approved.")
        _confirm_or_waitlist(booking, session, by=by, note=f"Approved by {by}.", now=now, approved=True)
    return booking


def booking_decline(*, booking: Booking, by: User, reason: str, now: dt.datetime | None = None) -> Booking:
    """A decline always says why: the person reads the reason, and who decided, in their email."""
    now = now or timezone.now()
    _check_is_line_manager(booking, by)
    if not reason.strip():
        raise NotAllowed("Say why you are declining: the person reads your reason in their email.", field="reason")
    with _locked(booking.session):
        booking.refresh_from_db()
        if booking.status != S.PENDING_APPROVAL:
            raise InvalidState("This booking is no longer waiting for approval.")
        _set_status(booking, S.DECLINED, by=by, note=f"Declined by {by}. Reason: {reason.strip()}", now=now)
        _notify(emails.booking_declined, booking, reason=reason.strip(), by_name=str(by))
    return booking


def booking_transfer(*, booking: Booking, to_person: User, by: User, now: dt.datetime | None = None) -> Booking:
    """A line manager passes a confirmed place from one of their team to another. No waiting-list change:
    the place moves, it is not freed."""
    now = now or timezone.now()
    _check_is_line_manager(booking, by)
    to_profile = getattr(to_person, "profile", None)
    if to_profile is None or to_profile.line_manager_id != by.pk:
        raise NotAllowed("You can only pass a place to someone in your team.")
    if to_person.pk == booking.person_id:
        raise NotAllowed("Choose someone other than the person who holds the place.")
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        if booking.status != S.CONFIRMED:
            raise InvalidState("Only a confirmed place can be passed on.")
        if session.starts_at and session.starts_at <= now:
            raise InvalidState("This session has started, so the place can no longer be passed on.")
        existing = Booking.objects.filter(session=session, person=to_person, status__in=Booking.LIVE_STATUSES).first()
        if existing and existing.status in Booking.PLACE_STATUSES:
            raise AlreadyBooked(f"{to_person} already has a place on this session.")
        missing = prerequisites_missing(course=session.course, person=to_person)
        if missing:
            raise PrerequisitesMissing(missing, person=to_person)
        clashes = overlapping_sessions(session=session, person=to_person)
        if clashes:
            clash = clashes[0]
            raise InvalidState(
                f"{to_person} already has a place at the same time ({clash.course.title}, "
                f"{moment_label(clash.starts_at)}). Choose someone else, or cancel that booking first."
            )
        if existing:  # on the waiting list or awaiting approval: that request is replaced by the transferred place
            if existing.status == S.WAITLISTED:
                _waiting_list_moved(session)  # those behind them move up
            _set_status(existing, S.CANCELLED, by=by, note="Replaced by a place passed on by their manager.", now=now,
                        cancelled_by=by, cancelled_at=now)
        _set_status(booking, S.CANCELLED, by=by, note=f"Place passed to {to_person} by {by}.", now=now,
                    cancelled_by=by, cancelled_at=now)
        _notify(emails.booking_cancelled, booking, late=False, by_someone_else=True,
                                        note=f"Your place was passed to {to_person} by {by}.")
        new = Booking.objects.create(session=session, person=to_person, status="", booked_by=by,
                                     transferred_from=booking, created_at=now)
        _set_status(new, S.CONFIRMED, by=by, note=f"Place passed on from {booking.person} by {by}.", now=now,
                    approved_by=by, approved_at=now)
        _notify(emails.booking_confirmed, new, transferred=True)
    return new

