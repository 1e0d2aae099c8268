"""Demo notifications: today's reminders recorded from the demo plan and training, some already sent this
morning, some waiting for the worker, one that failed (for the administrator's list), and one person who
switched session reminders off. Idempotent: the once-only keys make a second run record nothing new."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Kind, Notification, NotificationItem, NotificationPreference
from .reminders import candidates_for
from .services import notifications_record

User = get_user_model()


@transaction.atomic
def seed(*, stdout=None, **_options) -> None:
    today = timezone.localdate()
    coordinator = User.objects.filter(email="coordinator@demo.example").first()
    if coordinator is not None:
        NotificationPreference.objects.get_or_create(
            person=coordinator, kind=Kind.SESSION_REMINDER, defaults={"enabled": False}
        )
    result = notifications_record(candidates=candidates_for(day=today), day=today, queue=False)
    # The morning's deadline and refresher emails have gone; session reminders and evaluation requests wait
    # for the worker (make run's worker sends them to the console).
    sent_at = timezone.now().replace(hour=7, minute=0, second=5, microsecond=0)
    Notification.objects.filter(
        status=Notification.Status.PENDING,
        kind__in=[Kind.DEADLINE_REMINDER, Kind.REFRESHER_REMINDER],
        for_date=today,
    ).update(status=Notification.Status.SENT, sent_at=sent_at, sending_started_at=sent_at, attempts=1)

    manager = User.objects.filter(email="manager@demo.example").first()
    if manager is not None:
        yesterday = today - dt.timedelta(days=1)
        failed, created = Notification.objects.get_or_create(
            dedupe_key="demo|failed-session-reminder",
            defaults={
                "recipient": manager, "kind": Kind.SESSION_REMINDER, "for_date": yesterday,
                "subject": "Reminder: Signs of Safety: two-day practice course, in 7 days",
                "status": Notification.Status.FAILED, "attempts": 4,
                "error": "Mail server: (452, b'4.2.2 Mailbox full')",
            },
        )
        if created:
            NotificationItem.objects.create(
                notification=failed, key="demo|failed-session-reminder|item", item_type="session", item_id=0,
                label="Signs of Safety: two-day practice course", reason="in 7 days",
                due_date=today + dt.timedelta(days=6),
            )
    if stdout is not None:
        stdout.write(f"Notifications: {result.created} recorded today ({result.suppressed} switched off).")
