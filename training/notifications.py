"""Booking and session emails (HTML + text, with .ics where a calendar should change).

Called only from services, after their transaction commits (services._notify), so a rolled-back change never
mails anyone. Line managers are copied where the course says so.

A person's own booking emails (confirmed, wait-listed, awaiting approval, declined, cancelled) are rendered by a
Celery worker, not in the web request that made the change: calling one queues training.tasks.booking_email_send
with the booking's id and the options, and the worker loads the booking, renders the email and its .ics, and
queues the send. A booking rush then spends its requests on the bookings. Session-wide emails (changed,
cancelled) are rendered where they are called.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from workforce.services import email_send_on_commit

from .invitations import ics_attachment
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
    return {
        "booking": booking,
        "session": session,
        "course": session.course,
        "person": booking.person,
        "dates": list(session.dates.all()),
        "site_url": site,
        "session_url": f"{site}{session.get_absolute_url()}",
        "my_bookings_url": f"{site}{reverse('training:my_bookings')}",
        **extra,
    }


def _send(booking: Booking, *, kind: str, subject: str, with_ics: bool = False, cancel_ics: bool = False, **extra):
    attachments = []
    if with_ics or cancel_ics:
        attachments.append(ics_attachment(booking.session, attendee=booking.person, cancel=cancel_ics))
    email_send_on_commit(
        to=[booking.person.email],
        cc=_cc_for(booking),
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
        from .tasks import booking_email_send

        transaction.on_commit(lambda: booking_email_send.delay(render.__name__, booking.pk, options))

    return queue


def booking_email_render(*, kind: str, booking_id: int, options: dict) -> None:
    """In the worker: render a booking email from the booking as it is now, and queue it for sending."""
    booking = Booking.objects.select_related("session__course", "person__profile__line_manager").get(pk=booking_id)
    _RENDERED_BY_WORKER[kind](booking, **options)


@_rendered_by_worker
def booking_confirmed(booking: Booking, *, promoted: bool = False, transferred: bool = False) -> None:
    title = booking.session.course.title
    if promoted:
        subject = f"You have a place: {title}"
    elif transferred:
        subject = f"A place has been passed to you: {title}"
    else:
        subject = f"Booking confirmed: {title}"
    _send(booking, kind="booking_confirmed", subject=subject, with_ics=True, promoted=promoted, transferred=transferred)


@_rendered_by_worker
def booking_waitlisted(booking: Booking, *, position: int) -> None:
    _send(
        booking,
        kind="booking_waitlisted",
        subject=f"On the waiting list: {booking.session.course.title}",
        position=position,
    )


@_rendered_by_worker
def booking_approval_requested(booking: Booking) -> None:
    """To the person (request sent) and to their line manager (please decide)."""
    _send(booking, kind="booking_requested", subject=f"Waiting for approval: {booking.session.course.title}")
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
def booking_declined(booking: Booking, *, reason: str) -> None:
    _send(booking, kind="booking_declined", subject=f"Booking declined: {booking.session.course.title}", reason=reason)


@_rendered_by_worker
def booking_cancelled(booking: Booking, *, late: bool, by_someone_else: bool, note: str = "") -> None:
    was_holding = booking.confirmed_at is not None
    _send(
        booking,
        kind="booking_cancelled",
        subject=f"Booking cancelled: {booking.session.course.title}",
        cancel_ics=was_holding,
        late=late,
        by_someone_else=by_someone_else,
        note=note,
    )


def session_changed(session: Session, *, bookings: list[Booking], changes: list[str]) -> None:
    for booking in bookings:
        holds = booking.status == Booking.Status.CONFIRMED
        _send(
            booking,
            kind="session_changed",
            subject=f"Changed: {session.course.title}",
            with_ics=holds,
            changes=changes,
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
