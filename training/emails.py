"""Booking and session emails (HTML + text, .ics where a calendar should change), only ever after commit;
a person's own booking emails are rendered by a worker (docs/training.md)."""

import functools
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.outbox import outbox_add
from workforce.services import email_send_on_commit

from .invitations import ics_attachment, ics_mimetype, removed_days_ics
from .models import Booking, Session


def _line_manager(person):
    profile = getattr(person, "profile", None)
    return profile.line_manager if profile else None


def _cc_for(booking: Booking) -> list[str]:
    manager = _line_manager(booking.person)
    if booking.session.course.copy_line_manager and manager and manager.email:
        return [manager.email]
    return []


def _context(booking: Booking, **extra) -> dict:
    site = settings.SITE_URL.rstrip("/")
    session = booking.session
    deadline = session.cancellation_deadline
    return {
        "booking": booking,
        "session": session,
        "course": session.course,
        "person": booking.person,
        "dates": list(session.dates.all()),
        "site_url": site,
        "session_url": f"{site}{session.get_absolute_url()}",
        "my_bookings_url": f"{site}{reverse('training:my_bookings')}",
        # Rendered when sent: a place given after the deadline (promoted, approved or passed on late) must not be
        # told to "cancel by" a date already gone.
        "deadline_passed": deadline is not None and timezone.now() > deadline,
        **extra,
    }


def _send(booking: Booking, *, kind: str, subject: str, with_ics: bool = False, cancel_ics: bool = False,
          copy_manager: bool = True, attachments=(), **extra):
    attachments = list(attachments)
    if with_ics or cancel_ics:
        attachments.insert(0, ics_attachment(booking.session, attendee=booking.person, cancel=cancel_ics))
    email_send_on_commit(
        to=[booking.person.email],
        cc=_cc_for(booking) if copy_manager else [],
        subject=subject,
        template=f"training/emails/{kind}",
        context=_context(booking, **extra),
        attachments=attachments,
    )


_RENDERED_BY_WORKER: dict[str, Callable] = {}


def _rendered_by_worker(render: Callable) -> Callable:
    """Calling the decorated function queues its rendering for a worker (JSON options only)."""
    _RENDERED_BY_WORKER[render.__name__] = render

    @functools.wraps(render)
    def queue(booking: Booking, **options) -> None:
        outbox_add("training.tasks.booking_email_send", render.__name__, booking.pk, options)

    return queue


def booking_email_render(*, kind: str, booking_id: int, options: dict) -> None:
    """In the worker: render a booking email from the booking as it is now, and queue it for sending."""
    booking = Booking.objects.select_related("session__course", "person__profile__line_manager").get(pk=booking_id)
    _RENDERED_BY_WORKER[kind](booking, **options)


@_rendered_by_worker
def booking_confirmed(booking: Booking, *, promoted: bool = False, transferred: bool = False,
                      approved: bool = False) -> None:
    title = booking.session.course.title
    if promoted:
        subject = f"You have a place: {title}"
    elif transferred:
        subject = f"A place has been passed to you: {title}"
    elif approved:
        subject = f"Booking approved: {title}"
    else:
        subject = f"Booking confirmed: {title}"
    _send(booking, kind="booking_confirmed", subject=subject, with_ics=True, promoted=promoted, transferred=transferred,
          approved=approved, approver=booking.approved_by)


@_rendered_by_worker
def booking_waitlisted(booking: Booking, *, position: int, approved: bool = False) -> None:
    title = booking.session.course.title
    _send(
        booking,
        kind="booking_waitlisted",
        subject=f"Approved, on the waiting list: {title}" if approved else f"On the waiting list: {title}",
        position=position,
        approved=approved,
        approver=booking.approved_by,
    )


@_rendered_by_worker
def booking_approval_requested(booking: Booking) -> None:
    """To the person (request sent) and to their line manager (please decide). The manager has their own email,
    so the person's is not copied to them."""
    _send(booking, kind="booking_requested", subject=f"Waiting for approval: {booking.session.course.title}",
          copy_manager=False)
    manager = _line_manager(booking.person)
    if manager is None:
        return
    site = settings.SITE_URL.rstrip("/")
    email_send_on_commit(
        to=[manager.email],
        subject=f"Please approve or decline: {booking.person} – {booking.session.course.title}",
        template="training/emails/approval_request",
        context=_context(
            booking,
            manager=manager,
            decision_url=f"{site}{reverse('training:approval_decide', args=[booking.pk])}",
        ),
    )


@_rendered_by_worker
def booking_declined(booking: Booking, *, reason: str, by_name: str = "") -> None:
    """Who declined, why, and the course's other sessions as the next step."""
    course_url = f"{settings.SITE_URL.rstrip('/')}{booking.session.course.get_absolute_url()}"
    _send(booking, kind="booking_declined", subject=f"Booking declined: {booking.session.course.title}", reason=reason,
          by_name=by_name, course_url=course_url)


@_rendered_by_worker
def booking_cancelled(booking: Booking, *, late: bool, by_someone_else: bool, note: str = "",
                      was: str = "") -> None:
    """`was`: the status before the cancellation (leaving a waiting list reads differently)."""
    was_holding = booking.confirmed_at is not None
    title = booking.session.course.title
    left_waiting_list = was == Booking.Status.WAITLISTED and not by_someone_else
    _send(
        booking,
        kind="booking_cancelled",
        subject=f"You have left the waiting list: {title}" if left_waiting_list else f"Booking cancelled: {title}",
        cancel_ics=was_holding,
        late=late,
        by_someone_else=by_someone_else,
        note=note,
        left_waiting_list=left_waiting_list,
    )


def session_changed(session: Session, *, bookings: list[Booking], changes: list[str],
                    removed_days: list[tuple[int, object, object]] = (), days_before: int = 0) -> None:
    """Everyone booked hears of the change; those holding a place get the updated invitation, and when the session
    lost days (`removed_days`: number, old start, old end) a cancellation of those days too."""
    for booking in bookings:
        holds = booking.status == Booking.Status.CONFIRMED
        attachments = []
        if holds and removed_days:
            attachments.append(("cancelled-days.ics", removed_days_ics(
                session, attendee=booking.person, removed=list(removed_days), total=days_before),
                                ics_mimetype(cancel=True)))
        _send(
            booking,
            kind="session_changed",
            subject=f"Changed: {session.course.title}",
            with_ics=holds,
            changes=changes,
            attachments=attachments,
            removed_days=len(removed_days),
        )


def session_cancelled(session: Session, *, bookings: list[Booking], reason: str) -> None:
    for booking in bookings:
        _send(
            booking,
            kind="session_cancelled",
            subject=f"Cancelled: {session.course.title}",
            cancel_ics=booking.confirmed_at is not None,
            reason=reason,
        )
