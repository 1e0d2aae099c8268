"""training: Celery tasks. Each takes ids (JSON), loads, calls one function, and retries only what is worth it."""

from celery import shared_task

from . import emails


@shared_task(acks_late=True)
def booking_email_send(kind: str, booking_id: int, options: dict) -> None:
    """Render one of a person's booking emails (training.emails) and queue it for sending."""
    emails.booking_email_render(kind=kind, booking_id=booking_id, options=options)
