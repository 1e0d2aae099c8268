"""Core's scheduled jobs: the outbox relay."""

from celery import shared_task

from .outbox import outbox_prune, outbox_relay


@shared_task(acks_late=True)
def outbox_relay_run() -> int:
    """Every few seconds (CELERY_BEAT_SCHEDULE): relay what the broker could not take at commit."""
    total = 0
    while True:
        sent = outbox_relay()
        total += sent
        if sent == 0:
            break
    outbox_prune()
    return total
