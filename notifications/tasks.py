"""Reminder jobs. Each task takes ids, calls one service, and retries only what is worth retrying."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def reminders_sweep() -> dict:
    """Daily (settings.REMINDER_SWEEP_HOUR): record today's reminders and queue one send per notification."""
    result = services.reminders_sweep()
    return {"day": result.day.isoformat(), "skipped": result.skipped, "created": result.created,
            "queued": result.queued}


# A send that takes longer than this is stopped (the mail calls themselves time out after EMAIL_TIMEOUT).
@shared_task(bind=True, acks_late=True, max_retries=3, soft_time_limit=150, time_limit=180)
def notification_send(self, notification_id: int) -> str:
    """Send one notification at most once (the service locks and re-checks its row)."""
    final = self.request.retries >= self.max_retries
    try:
        return services.notification_deliver(notification_id=notification_id, final_attempt=final)
    except services.DeliveryDeferred as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def notifications_requeue_stale() -> int:
    """Every few minutes: re-queue what a dead worker left half done, or a lost task never sent."""
    return services.notifications_requeue_stale()
