"""Every write in training: keyword-only, one transaction per use case, domain errors (training.errors).

Bookings: every change of a session's bookings takes the session row's lock first
(`select_for_update` on PostgreSQL; SQLite is opened BEGIN IMMEDIATE, which takes the database's write
lock at the start of the transaction), then re-counts places and decides; a new booking on PostgreSQL does the
same in one statement inside the database (_book_place_at_once). A lock wait longer than LOCK_TIMEOUT becomes
`Busy` — a polite "try again" — never a 500.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.db.models.signals import post_save
from django.utils import timezone

from core.caching import cache_namespace_bump
from core.locking import busy_raises, lock_wait_at_most

from . import notifications
from .errors import (
    AlreadyBooked,
    BookingNotOpen,
    Busy,
    InvalidState,
    NoLineManager,
    NotAllowed,
    OverlapNeedsConfirmation,
    PrerequisitesMissing,
)
from .models import (
    Band,
    Booking,
    BookingEvent,
    Completion,
    Course,
    Evaluation,
    Event,
    Requirement,
    Session,
    SessionDate,
    StandardVersion,
    moment_label,
)
from .selectors import course_places_namespace, course_prerequisites, person_namespace

LOCK_TIMEOUT = "3s"
S = Booking.Status

# === Locking ==========================================================================================


def _session_locked(session_pk: int) -> Session:
    """The session row, locked until the surrounding transaction ends."""
    lock_wait_at_most(LOCK_TIMEOUT)
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_pk)


@contextmanager
def _locked(session: Session) -> Iterator[Session]:
    """One use case on a session's bookings: a transaction holding the session's lock. Every change to bookings
    goes through here, so here the course page's cached places are made stale — after commit, outside the lock."""
    with busy_raises(Busy), transaction.atomic():
        locked = _session_locked(session.pk)
        cache_namespace_bump(course_places_namespace(locked.course_id), at_once=False)
        yield locked


# === Reads the services need (inside the lock) ==========================================================


def places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_STATUSES).count()


def waiting_list(session: Session):
    return Booking.objects.filter(session=session, status=S.WAITLISTED).order_by("waitlist_order", "pk")


def _ahead_of(booking: Booking) -> Q:
    """Bookings before this one in waiting-list order (the number it was given under the lock, then id)."""
    return Q(waitlist_order__lt=booking.waitlist_order) | Q(waitlist_order=booking.waitlist_order, pk__lt=booking.pk)


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first waiting; None when the booking is not on the waiting list."""
    if booking.status != S.WAITLISTED:
        return None
    return Booking.objects.filter(session_id=booking.session_id, status=S.WAITLISTED).filter(
        _ahead_of(booking)).count() + 1


def prerequisites_missing(*, course: Course, person, needed: list[Course] | None = None) -> list[Course]:
    """The course's prerequisites (`needed`, where the caller has them loaded already) the person has not
    completed (or attended)."""
    needed = course_prerequisites(course.pk) if needed is None else needed
    if not needed:
        return []
    completed = Completion.objects.filter(person=person, course=OuterRef("pk"))
    attended = Booking.objects.filter(person=person, status=S.ATTENDED, session__course=OuterRef("pk"))
    done = set(Course.objects.filter(Q(Exists(completed)) | Q(Exists(attended)), pk__in=[c.pk for c in needed])
               .values_list("pk", flat=True))  # fmt: skip
    return [c for c in needed if c.pk not in done]


# The person's other live bookings (not on cancelled sessions) with a date that overlaps one of this session's
# dates. Asked on every booking, so written out: built by the ORM (subqueries, then a comparison in Python) it
# cost about 2 ms of the web server's CPU each time, a tenth of a booking in a rush (docs/performance.md, P1).
# The database compares the dates (PostgreSQL and SQLite alike).
_CLASHING_SESSIONS_SQL = """
    SELECT DISTINCT theirs.session_id
    FROM training_sessiondate AS theirs
    JOIN training_sessiondate AS this
      ON this.session_id = %s AND theirs.starts_at < this.ends_at AND theirs.ends_at > this.starts_at
    JOIN training_booking AS booking
      ON booking.session_id = theirs.session_id AND booking.person_id = %s AND booking.status IN (%s, %s, %s)
    JOIN training_session AS other ON other.id = theirs.session_id AND other.status <> %s
    WHERE theirs.session_id <> %s
"""


def overlapping_sessions(*, session: Session, person) -> list[Session]:
    """Other sessions the person holds or awaits a place on whose dates overlap this session's dates: one
    statement finds them, and they are loaded only when there are some."""
    with connection.cursor() as cursor:
        cursor.execute(_CLASHING_SESSIONS_SQL, [session.pk, person.pk, S.CONFIRMED, S.PENDING_APPROVAL,
                                                S.WAITLISTED, Session.Status.CANCELLED, session.pk])
        clashing = [session_id for (session_id,) in cursor.fetchall()]
    if not clashing:
        return []
    return list(Session.objects.filter(pk__in=clashing).select_related("course"))


def _notify(send, *args, **kwargs) -> None:
    """Render and queue an email once the transaction commits: outside the session's lock (so the lock is held
    only for the decision), and never for a change that was rolled back."""
    transaction.on_commit(partial(send, *args, **kwargs))


def _record(booking: Booking, *, by, from_status: str, to_status: str, note: str = "", at=None) -> None:
    BookingEvent.objects.create(
        booking=booking, by=by, from_status=from_status, to_status=to_status, note=note[:300], at=at or timezone.now()
    )


def _set_status(booking: Booking, to_status: str, *, by, note: str = "", now=None, **fields) -> Booking:
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


def _confirm_or_waitlist(booking: Booking, session: Session, *, by, note: str, now, approved: bool = False) -> Booking:
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
        _notify(notifications.booking_confirmed, booking, approved=approved)
    else:
        _notify(notifications.booking_waitlisted, booking, position=waiting + 1, approved=approved)


def _book_place_at_once(session: Session, *, person, by, note: str, now) -> Booking | None:
    """A new booking, confirmed or wait-listed, in one statement (PostgreSQL: training_book_place(), in migration
    training 0004): the session's lock is taken, the places counted and the booking written inside the database,
    and — called outside a transaction, as a request calls it — committed there, so the lock is never held across
    a round trip to this process. None when the session's row changed since `session` was read (cancelled, moved,
    its booking window changed): the caller then decides under its own lock, and can say why."""
    # Inside a caller's transaction (a test, a script), a savepoint keeps that transaction usable if the statement
    # fails; a request has none, and a transaction of its own would hold the lock until its COMMIT's round trip.
    inside = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with busy_raises(Busy), inside, connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM training_book_place(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [session.pk, person.pk, by.pk, now, session.status, session.starts_at, session.booking_opens_at,
             session.booking_closes_at, list(Booking.PLACE_STATUSES), S.CONFIRMED, S.WAITLISTED, note[:300],
             _full_session_note(note)[:300], LOCK_TIMEOUT],
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

    def tell():
        waiting = Booking.objects.filter(session_id=session.pk, status=S.WAITLISTED).values_list("person_id", flat=True)
        names = [person_namespace(pk) for pk in waiting]
        if names:
            cache_namespace_bump(*names)

    transaction.on_commit(tell)


def _promote_waiting(session: Session, *, by, now) -> list[Booking]:
    """With the session locked: fill free places from the front of the waiting list, telling each person."""
    promoted = []
    free = session.capacity - places_taken(session)
    if free <= 0 or session.status != Session.Status.SCHEDULED:
        return promoted
    for booking in waiting_list(session).select_related("person__profile__line_manager")[:free]:
        _set_status(booking, S.CONFIRMED, by=by, note="Promoted from the waiting list.", now=now)
        _notify(notifications.booking_confirmed, booking, promoted=True)
        promoted.append(booking)
    if promoted:
        _waiting_list_moved(session)
    return promoted


# === Booking use cases ==================================================================================


def booking_create(*, session: Session, person, by=None, confirm_overlap: bool = False, now=None) -> Booking:
    """Book `person` on `session`: confirmed, wait-listed, or waiting for their line manager's approval.

    What concerns only the person (prerequisites, overlaps, a line manager) is checked before the session's
    lock: other people's bookings change none of it, so the lock is held only to count the places and write the
    booking — on PostgreSQL, when no approval is needed, inside the database (_book_place_at_once). A live
    booking of the person on this session already (or one made meanwhile, from another tab) is stopped by the
    unique constraint, under the lock: AlreadyBooked."""
    now = now or timezone.now()
    by = by or person
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
    note = "Booked." if by == person else f"Booked by {by}."
    if clashes:
        note += " Overlap with another booking confirmed."
    try:  # the unique constraint's error: a live booking of the person's already, perhaps made from another tab
        if manager is None and connection.vendor == "postgresql":  # no approval needed
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
                _notify(notifications.booking_approval_requested, booking)
            else:
                _confirm_or_waitlist(booking, session, by=by, note=note, now=now)
    except IntegrityError as error:
        raise AlreadyBooked() from error
    return booking


def _cancel_locked(booking: Booking, session: Session, *, by, now, note: str) -> Booking:
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
    _notify(notifications.booking_cancelled, booking, late=late, by_someone_else=by != booking.person, note=note,
            was=was)
    if was == S.CONFIRMED:  # a place is free
        _promote_waiting(session, by=by, now=now)
    elif was == S.WAITLISTED:
        _waiting_list_moved(session)
    return booking


def booking_cancel(*, booking: Booking, by, now=None) -> Booking:
    """Cancel a booking. After the course's cancellation deadline it is recorded as a late cancellation.
    A freed place goes to the first on the waiting list in the same transaction."""
    now = now or timezone.now()
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        note = "Left the waiting list." if booking.status == S.WAITLISTED else "Cancelled."
        return _cancel_locked(booking, session, by=by, now=now, note=note)


def waitlist_leave(*, booking: Booking, by, now=None) -> Booking:
    now = now or timezone.now()
    with _locked(booking.session) as session:
        booking.refresh_from_db()
        if booking.status != S.WAITLISTED:
            raise InvalidState("You are no longer on this waiting list.")
        return _cancel_locked(booking, session, by=by, now=now, note="Left the waiting list.")


def _check_is_line_manager(booking: Booking, manager) -> None:
    profile = getattr(booking.person, "profile", None)
    if profile is None or profile.line_manager_id != manager.pk:
        raise NotAllowed("Only the person's line manager can do that.")


def booking_approve(*, booking: Booking, by, now=None) -> Booking:
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


def booking_decline(*, booking: Booking, by, reason: str = "", now=None) -> Booking:
    now = now or timezone.now()
    _check_is_line_manager(booking, by)
    with _locked(booking.session):
        booking.refresh_from_db()
        if booking.status != S.PENDING_APPROVAL:
            raise InvalidState("This booking is no longer waiting for approval.")
        note = f"Declined by {by}." + (f" Reason: {reason.strip()}" if reason.strip() else "")
        _set_status(booking, S.DECLINED, by=by, note=note, now=now)
        _notify(notifications.booking_declined, booking, reason=reason.strip())
    return booking


def booking_transfer(*, booking: Booking, to_person, by, now=None) -> Booking:
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
        _notify(notifications.booking_cancelled, booking, late=False, by_someone_else=True,
                                        note=f"Your place was passed to {to_person} by {by}.")
        new = Booking.objects.create(session=session, person=to_person, status="", booked_by=by,
                                     transferred_from=booking, created_at=now)
        _set_status(new, S.CONFIRMED, by=by, note=f"Place passed on from {booking.person} by {by}.", now=now,
                    approved_by=by, approved_at=now)
        _notify(notifications.booking_confirmed, new, transferred=True)
    return new


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


def session_create(*, by, dates: Iterable[DateSpan], trainers: Iterable = (), **fields) -> Session:
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


def session_update(*, session: Session, by, dates: Iterable[DateSpan], trainers: Iterable = (), now=None,
                   **fields) -> tuple[Session, list[str], list[Booking]]:
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
            _notify(notifications.session_changed, locked, bookings=told, changes=changes,
                    removed_days=removed_days, days_before=len(old_dates))
    return locked, changes, promoted


def session_cancel(*, session: Session, by, reason: str, now=None) -> Session:
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
        _notify(notifications.session_cancelled, locked, bookings=bookings, reason=reason.strip())
    return locked


# === Courses, events and the standard ====================================================================


def _save(instance, *, m2m: dict | None = None, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


def course_save(*, course: Course | None = None, by, themes: Iterable = (), prerequisites: Iterable = (),
                **fields) -> Course:
    with transaction.atomic():
        course = course or Course()
        prerequisites = [c for c in prerequisites if c.pk != course.pk]
        return _save(course, m2m={"themes": themes, "prerequisites": prerequisites}, **fields)


def event_save(*, event: Event | None = None, by, **fields) -> Event:
    with transaction.atomic():
        return _save(event or Event(), **fields)


def band_save(*, band: Band | None = None, by, **fields) -> Band:
    with transaction.atomic():
        return _save(band or Band(), **fields)


def theme_save(*, theme=None, by, **fields):
    from .models import Theme

    with transaction.atomic():
        return _save(theme or Theme(), **fields)


def requirement_save(*, requirement: Requirement | None = None, by, courses: Iterable, **fields) -> Requirement:
    with transaction.atomic():
        return _save(requirement or Requirement(), m2m={"courses": courses}, **fields)


def requirement_delete(*, requirement: Requirement, by) -> None:
    with transaction.atomic():
        requirement.delete()


def standard_version_save(*, version: StandardVersion | None = None, by, **fields) -> StandardVersion:
    with transaction.atomic():
        fields.pop("is_current", None)  # made current only through standard_version_make_current
        return _save(version or StandardVersion(), **fields)


def standard_version_make_current(*, version: StandardVersion, by, copy_requirements_from=None) -> StandardVersion:
    """Make this version the one compliance is measured against (the previous one stops being current).
    Optionally copy requirements from another version when this one has none."""
    with transaction.atomic():
        StandardVersion.objects.select_for_update().filter(is_current=True).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
        if copy_requirements_from and not version.requirements.exists():
            for old in copy_requirements_from.requirements.prefetch_related("courses"):
                new = Requirement.objects.create(version=version, band=old.band, title=old.title,
                                                 refresher_months=old.refresher_months, order=old.order)
                new.courses.set(old.courses.all())
    return version


# --- register, certificates, evaluations, compliance ---------------------------------------------------
# On the day: the coordinator marks each place attended or did not attend, then closes the session. Closing
# creates one Completion per attendee (keyed by the booking, so closing twice or re-marking never duplicates);
# correcting attended → did not attend on a closed session removes the completion that attendance created.


def _register_open_check(session: Session, now) -> None:
    if session.status == Session.Status.CANCELLED:
        raise InvalidState("This session was cancelled, so there is no register to keep.")
    if not session.register_can_be_marked(now):
        raise InvalidState("You can keep the register from the day the session starts.")


def _completion_ensure(booking: Booking, *, by) -> Completion:
    """The completion this attended booking earns (made once; the booking is its key).

    Marked did not attend and then attended again (a correction corrected): the completion withdrawn meanwhile
    comes back as it was — the same record (so the link in the certificate email the person was sent still
    works) and certificate number — and the person, who was told then, is not emailed again."""
    completion = Completion.objects.filter(booking=booking).first()
    if completion is not None:
        if not completion.certificate_number:
            completion.certificate_number = f"CTS-{completion.completed_on:%Y}-{completion.pk:06d}"
            completion.save(update_fields=["certificate_number"])
        return completion
    earlier = (Completion.history.filter(booking_id=booking.pk, certificate_number__isnull=False)
               .order_by("-history_date").values_list("id", "certificate_number").first())
    session = booking.session
    completion = Completion.objects.create(
        id=earlier[0] if earlier else None, booking=booking, person_id=booking.person_id,
        course_id=session.course_id, completed_on=timezone.localdate(session.ends_at or session.starts_at),
        recorded_by=by, notes="Attended the session.", certificate_number=earlier[1] if earlier else None,
    )
    if earlier is None:
        completion.certificate_number = f"CTS-{completion.completed_on:%Y}-{completion.pk:06d}"
        completion.save(update_fields=["certificate_number"])
        _notify(_certificate_ready_email, booking, completion)
    return completion


def _certificate_ready_email(booking: Booking, completion: Completion) -> None:
    """Tell the attendee their certificate is ready and ask for their feedback (rendered and sent after commit)."""
    from django.conf import settings
    from django.urls import reverse

    from workforce.services import email_send_on_commit

    site = settings.SITE_URL.rstrip("/")
    email_send_on_commit(
        to=[booking.person.email],
        subject=f"Your certificate: {booking.session.course.title}",
        template="training/emails/certificate_ready",
        context={
            "person": booking.person, "course": booking.session.course, "completion": completion,
            "certificate_url": f"{site}{reverse('training:certificate_download', args=[completion.pk])}",
            "evaluation_url": f"{site}{reverse('training:evaluation_create', args=[booking.pk])}",
            "my_training_url": f"{site}{reverse('training:my_training')}",
        },
    )


@dataclass(frozen=True)
class AttendanceMarks:
    """What a marking did: who changed, and who was already marked otherwise and left as they were."""

    changed: list[Booking]
    left: list[Booking]


def attendance_mark(*, session: Session, booking_ids: Iterable[int], attended: bool, by, overwrite: bool = False,
                    now=None) -> AttendanceMarks:
    """Mark places attended or did not attend. A place already marked the other way changes only with
    `overwrite` (the person's own button, or a confirmed correction): a tick never turns a no-show into
    attended. On a closed session completions follow the marks."""
    now = now or timezone.now()
    booking_ids = {int(pk) for pk in booking_ids}
    if not booking_ids:
        raise InvalidState("Choose at least one person to mark.")
    to_status = S.ATTENDED if attended else S.NO_SHOW
    with _locked(session) as locked:
        _register_open_check(locked, now)
        bookings = list(
            Booking.objects.filter(session=locked, pk__in=booking_ids, status__in=Booking.PLACE_STATUSES)
            .select_related("person", "session").order_by("person__last_name", "person__first_name", "pk")
        )
        if len(bookings) != len(booking_ids):
            raise InvalidState("Some of those people no longer hold a place on this session. Nothing was marked.")
        changed, left = [], []
        for booking in bookings:
            if booking.status == to_status:
                continue
            if booking.status != S.CONFIRMED and not overwrite:
                left.append(booking)
                continue
            note = "Marked attended." if attended else "Marked did not attend."
            if locked.status == Session.Status.CLOSED and not attended:
                removed, _ = Completion.objects.filter(booking=booking).delete()
                if removed:
                    note += " Completion and certificate withdrawn."
            _set_status(booking, to_status, by=by, note=note, now=now, attendance_marked_by=by,
                        attendance_marked_at=now)
            booking.session = locked
            if locked.status == Session.Status.CLOSED and attended:
                _completion_ensure(booking, by=by)
            changed.append(booking)
    return AttendanceMarks(changed=changed, left=left)


def session_close(*, session: Session, by, now=None) -> Session:
    """Close the register: every place must be marked. Attendees get their completion (and certificate);
    requests still waiting (waiting list, approval) lapse. Closing again changes nothing."""
    now = now or timezone.now()
    with _locked(session) as locked:
        _register_open_check(locked, now)
        if locked.status == Session.Status.SCHEDULED:
            if not locked.can_be_closed(now):
                raise InvalidState(f"You can close the session once it has begun: its last date starts at "
                                   f"{timezone.localtime(locked.last_date_starts_at):%H:%M on %a %-d %b %Y}.")
            unmarked = Booking.objects.filter(session=locked, status=S.CONFIRMED).count()
            if unmarked:
                people = "person is" if unmarked == 1 else "people are"
                raise InvalidState(f"{unmarked} {people} not marked yet. Mark everyone attended or did not attend, "
                                   "then close the session.")
            for booking in Booking.objects.filter(session=locked, status__in=[S.WAITLISTED, S.PENDING_APPROVAL]):
                was = booking.status
                _set_status(booking, S.CANCELLED, by=by, note="The session has taken place; the request lapsed.",
                            now=now, cancelled_by=by, cancelled_at=now)
                _notify(notifications.booking_cancelled, booking, late=False, by_someone_else=True, was=was,
                        note="The session has taken place without a place for you, so your request has lapsed. "
                             "You can book another session of the course on the portal.")
            locked.status = Session.Status.CLOSED
            locked.save(update_fields=["status", "updated_at"])
        for booking in Booking.objects.filter(session=locked, status=S.ATTENDED).select_related(
            "session__course", "person"
        ):
            _completion_ensure(booking, by=by)
    return locked


def evaluation_submit(*, booking: Booking, by, rating: int, comments: str = "", now=None) -> Evaluation:
    """An attendee's feedback on a session they attended: one per booking."""
    now = now or timezone.now()
    if booking.person_id != by.pk:
        raise NotAllowed("Only the person who attended can give feedback on their place.")
    if not 1 <= int(rating) <= 5:
        raise InvalidState("Choose a rating from 1 to 5.")
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.status != S.ATTENDED:
            raise InvalidState("You can give feedback once the course's register shows you attended.")
        if Evaluation.objects.filter(booking=booking).exists():
            raise InvalidState("You have already given feedback on this session. Thank you.")
        try:
            with transaction.atomic():
                return Evaluation.objects.create(booking=booking, rating=int(rating), comments=comments.strip(),
                                                 submitted_at=now)
        except IntegrityError as error:
            raise InvalidState("You have already given feedback on this session. Thank you.") from error


# === Personal data (the privacy app anonymises and applies retention through these) =======================


def personal_data_anonymise(*, person, redact) -> dict[str, int]:
    """Bookings, completions, attendance and evaluations stay (they are counted) and keep pointing at the
    person, who is now the placeholder; free text that named them is rewritten, history included."""
    return {
        "booking notes": redact.rewrite(BookingEvent.objects.all(), ["note"]),
        "completion notes": redact.rewrite(Completion.objects.all(), ["notes"])
        + redact.rewrite(Completion.history.all(), ["notes"]),
        "evaluation comments": redact.rewrite(Evaluation.objects.all(), ["comments"]),
        "session notes": redact.rewrite(Session.objects.all(), ["notes", "access_notes"])
        + redact.rewrite(Session.history.all(), ["notes", "access_notes"]),
    }


def evaluation_comments_clear(*, submitted_before: dt.datetime) -> int:
    """Retention: evaluation comments older than the cut-off are emptied; the ratings stay."""
    with transaction.atomic():
        return Evaluation.objects.filter(submitted_at__lt=submitted_before).exclude(comments="").update(comments="")
