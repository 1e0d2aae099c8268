"""The transactional outbox: a task is a row written in the caller's transaction, relayed to Celery after
commit (at once, and by the every-minute relay if the broker was down), so a broker outage loses nothing.
See docs/architecture.md ("The outbox")."""

import logging
from collections.abc import Sequence
from datetime import timedelta
from importlib import import_module
from typing import Any

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from .locking import try_transaction_lock
from .models import OutboxMessage

logger = logging.getLogger(__name__)

RELAY_LOCK = "core.outbox"  # core.locking: on SQLite the IMMEDIATE transaction already serialises relays
BATCH_SIZE = 200
KEEP_SENT = timedelta(days=7)


def outbox_add(task: str, *args: Any, queue: str = "", **kwargs: Any) -> OutboxMessage:
    """Write the task (its dotted name, JSON arguments) in the current transaction; relay it after commit."""
    message = OutboxMessage.objects.create(task=task, args=list(args), kwargs=kwargs, queue=queue)
    transaction.on_commit(lambda: outbox_relay_quietly(ids=[message.pk]))
    return message


def outbox_add_each(task: str, args_list: Sequence[Sequence[Any]]) -> None:
    """One row per argument list (a sweep's thousands of sends), written in one statement per batch."""
    messages = OutboxMessage.objects.bulk_create(
        [OutboxMessage(task=task, args=list(args), kwargs={}) for args in args_list], batch_size=BATCH_SIZE)
    if messages and messages[0].pk is not None:
        ids = [m.pk for m in messages]
        transaction.on_commit(lambda: _relay_all_quietly(ids))
    elif messages:
        transaction.on_commit(lambda: _relay_all_quietly(None))


def _relay_all_quietly(ids: Sequence[int] | None) -> None:
    for start in range(0, len(ids) if ids is not None else 1, BATCH_SIZE):
        outbox_relay_quietly(ids=ids[start : start + BATCH_SIZE] if ids is not None else None)


def _task(name: str) -> Any:
    if name not in current_app.tasks:
        import_module(name.rsplit(".", 1)[0])  # registers the app's @shared_task
    return current_app.tasks[name]


def _send(message: OutboxMessage) -> None:
    options: dict[str, Any] = {"retry": False}
    if message.queue:
        options["queue"] = message.queue
    _task(message.task).apply_async(args=message.args, kwargs=message.kwargs, **options)


def outbox_relay(*, ids: Sequence[int] | None = None, limit: int = BATCH_SIZE) -> int:
    """Send waiting rows to the broker, oldest first, each locked while sent and marked in the same
    transaction; stops at the first broker error (the rest wait for the next relay). Returns how many."""
    sent = 0
    with transaction.atomic():
        if connection.vendor != "postgresql" and not try_transaction_lock(RELAY_LOCK):
            return 0
        waiting = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk")
        if ids is not None:
            waiting = waiting.filter(pk__in=list(ids))
        skip = connection.features.has_select_for_update_skip_locked
        for message in waiting.select_for_update(skip_locked=skip)[:limit]:
            try:
                with transaction.atomic():
                    message.sent_at = timezone.now()
                    message.attempts += 1
                    message.save(update_fields=["sent_at", "attempts"])
                    _send(message)
            except Exception as exc:  # the broker is down (or the task is unknown): leave it waiting
                logger.warning("Outbox: %s #%s not relayed yet: %s", message.task, message.pk, exc)
                OutboxMessage.objects.filter(pk=message.pk).update(attempts=message.attempts,
                                                                   last_error=str(exc)[:2000])
                break
            sent += 1
    return sent


def outbox_relay_quietly(*, ids: Sequence[int] | None) -> None:
    """The fast path after commit: a failure is logged, never raised into the request that committed."""
    try:
        outbox_relay(ids=ids)
    except Exception:
        logger.exception("Outbox: relay after commit failed; the scheduled relay will send it")


def outbox_prune(*, now: Any = None) -> int:
    """Delete rows relayed more than KEEP_SENT ago."""
    cutoff = (now or timezone.now()) - KEEP_SENT
    deleted, _ = OutboxMessage.objects.filter(sent_at__lt=cutoff).delete()
    return deleted
