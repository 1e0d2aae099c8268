"""Celery tasks for people and mail. Tasks take JSON, call one service or library function, retry
on transient errors."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core import management
from django.core.mail import EmailMultiAlternatives


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    max_retries=5,
)
def email_send(payload: dict) -> int:
    """Send one rendered email (see services.email_send_on_commit)."""
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=payload["to"],
        cc=payload.get("cc") or [],
    )
    message.attach_alternative(payload["html"], "text/html")
    for filename, content, mimetype in payload.get("attachments", []):
        message.attach(filename, content, mimetype)
    return message.send()


@shared_task
def sessions_clear_expired() -> None:
    """Nightly housekeeping: drop expired sign-in sessions."""
    management.call_command("clearsessions")
