"""The register on the day: marks, closing, completions and certificates (docs/training.md, Register)."""


import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from workforce.models import User

from .. import emails
from ..errors import (
    InvalidState,
)
from ..models import (
    Booking,
    Completion,
    Session,
)
from .locks import _locked
from .places import _notify, _set_status

S = Booking.Status


# --- register, certificates, evaluations, compliance ---------------------------------------------------
# On the day: the coordinator marks each place attended or did not attend, then closes the session. Closing
# creates one Completion per attendee (keyed by the booking, so closing twice or re-marking never duplicates);
# correcting attended → did not attend on a closed session removes the completion that attendance created.


def _register_open_check(session: Session, now: dt.datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise InvalidState("This session was cancelled, so there is no register to keep.")
    if not session.register_can_be_marked(now):
        raise InvalidState("You can keep the register from the day the session starts.")


def _completion_ensure(booking: Booking, *, by: User | None) -> Completion:
    """The completion this attended booking earns, made once; a withdrawn one comes back as it was (same
    record and certificate number) and the person is not emailed again."""
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


def attendance_mark(*, session: Session, booking_ids: Iterable[int], attended: bool, by: User | None,
                    overwrite: bool = False, now: dt.datetime | None = None) -> AttendanceMarks:
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


def walk_in_add(*, session: Session, person: User, by: User, now: dt.datetime | None = None) -> Booking:
    """Someone who came without a place, added to the register of a session that has begun and marked attended.
    The room holds them, so capacity does not refuse them; the booking records the walk-in (docs/training.md)."""
    now = now or timezone.now()
    with _locked(session) as locked:
        _register_open_check(locked, now)
        if locked.status == Session.Status.CLOSED:
            raise InvalidState("This session is closed: a walk-in can no longer be added.")
        if locked.starts_at is None or locked.starts_at > now:
            raise InvalidState("A walk-in can be added once the session has begun.")
        existing = Booking.objects.filter(session=locked, person=person, status__in=Booking.LIVE_STATUSES).first()
        if existing is not None:
            raise InvalidState(f"{person} is already on this session ({existing.get_status_display().lower()}): "
                               "mark them on the register instead.")  # fmt: skip
        booking = Booking(session=locked, person=person, status="", booked_by=by, created_at=now, walk_in=True)
        _set_status(booking, S.ATTENDED, by=by, note=f"Walk-in added by {by}.", now=now, attendance_marked_by=by,
                    attendance_marked_at=now)
    return booking


def session_close(*, session: Session, by: User | None, now: dt.datetime | None = None) -> Session:
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
                _notify(emails.booking_cancelled, booking, late=False, by_someone_else=True, was=was,
                        note="The session has taken place without a place for you, so your request has lapsed. "
                             "You can book another session of the course on the portal.")
            locked.status = Session.Status.CLOSED
            locked.save(update_fields=["status", "updated_at"])
        for booking in Booking.objects.filter(session=locked, status=S.ATTENDED).select_related(
            "session__course", "person"
        ):
            _completion_ensure(booking, by=by)
    return locked

