"""Every write about notifications: recording reminders once, claiming and marking sends, preferences.
The delivery protocol and its one crash window are in docs/notifications.md ("Delivery")."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from core.locking import held_while, try_transaction_lock
from core.outbox import outbox_add_each
from core.roles import Role, has_role

from . import emails
from .models import ESSENTIAL_KINDS, OPTIONAL_KINDS, Kind, Notification, NotificationItem, NotificationPreference
from .reminders import Candidate, candidates_for, session_reminder_obsolete, subject_for

if TYPE_CHECKING:
    from workforce.models import User

logger = logging.getLogger(__name__)
T = TypeVar("T")
M = TypeVar("M", Notification, NotificationItem)

BATCH_SIZE = 500
STALE_AFTER = dt.timedelta(minutes=15)
LOST_AFTER = dt.timedelta(minutes=10)
SWEEP_LOCK = "notifications.sweep"  # core.locking: one sweep at a time
SENDER_LOCK = "notifications.sender"  # core.locking, with the notification's id: held while sending it
TAKEN_OVER = "The worker sending this stopped before it finished; sent again by another worker."
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


class NotificationError(Exception):
    """A change the rules do not allow; the message is shown to the user."""


class DeliveryDeferred(Exception):
    """The mail server failed in a way worth retrying; the notification is pending again."""


def _batches(items: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- Recording ----------------------------------------------------------------------------------


def _insert_new(model: type[M], rows: list[dict[str, Any]],
                returning: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Insert rows (field name -> value) skipping any whose unique key is taken; the `returning` columns of
    the rows inserted (PostgreSQL: INSERT … ON CONFLICT DO NOTHING RETURNING via execute_values; elsewhere
    bulk_create(ignore_conflicts=True) and a read back by the first returned column)."""
    if not rows:
        return []
    fields = [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in rows[0]]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE, ignore_conflicts=True)
        if not returning:
            return []
        key = returning[0]
        found: list[tuple[Any, ...]] = []
        for batch in _batches([row[key] for row in rows]):
            found.extend(model.objects.filter(**{f"{key}__in": batch}).values_list(*returning))
        return found
    from psycopg2.extras import Json, execute_values

    quote = connection.ops.quote_name
    json_columns = [i for i, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
    values = []
    for row in rows:
        value = list(row.values())
        for i in json_columns:
            value[i] = Json(value[i])
        values.append(value)
    columns = ", ".join(quote(str(field.column)) for field in fields)
    back = ", ".join(quote(str(cast("models.Field[Any, Any]", model._meta.get_field(name)).column))
                     for name in returning)
    # Only the model's own table and column names go into the text (quoted); every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES %s ON CONFLICT DO NOTHING"  # noqa: S608  # nosec B608
    if returning:
        sql += f" RETURNING {back}"
    with connection.cursor() as cursor:
        inserted: list[tuple[Any, ...]] = execute_values(cursor.cursor, sql, values, page_size=1000,
                                                         fetch=bool(returning)) or []
    return inserted


@dataclass
class SweepResult:
    day: dt.date
    skipped: bool = False
    candidates: int = 0
    created: int = 0
    queued: int = 0
    suppressed: int = 0


def _dedupe_key(kind: str, recipient_id: int, day: dt.date, keys: Iterable[str] | None = None) -> str:
    """A digest's key is its kind, recipient and day alone (one email a person a day, however many sweeps);
    a per-item notification's key adds a hash of its item's key."""
    if keys is None:
        return f"{kind}|{recipient_id}|{day.isoformat()}"
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]
    return f"{kind}|{recipient_id}|{day.isoformat()}|{digest}"


# A digest already recorded today takes more items only while nobody has begun to send it; a suppressed one
# (nothing is sent) takes them as a record. One being sent, sent or failed does not: its new items wait for
# the next day's sweep, which finds their keys free and sends them then.
DIGEST_OPEN = (Notification.Status.PENDING, Notification.Status.SUPPRESSED)


def _unique(candidates: Iterable[Candidate]) -> dict[str, Candidate]:
    unique: dict[str, Candidate] = {}
    for c in candidates:
        unique.setdefault(c.key, c)
    return unique


def _fresh(unique: dict[str, Candidate]) -> list[Candidate]:
    """The candidates whose item key is not taken and whose recipient is active with an address."""
    User = get_user_model()
    active: set[int] = set()
    for batch in _batches(sorted({c.recipient_id for c in unique.values()})):
        active.update(User.objects.filter(pk__in=batch, is_active=True).exclude(email="").values_list("pk", flat=True))
    taken: set[str] = set()
    for keys in _batches(list(unique)):
        taken.update(NotificationItem.objects.filter(key__in=keys).values_list("key", flat=True))
    return [c for k, c in unique.items() if k not in taken and c.recipient_id in active]


def _switched_off(recipient_ids: set[int]) -> set[tuple[int, str]]:
    off: set[tuple[int, str]] = set()
    for batch in _batches(sorted(recipient_ids)):
        off.update(NotificationPreference.objects.filter(person_id__in=batch, enabled=False)
                   .values_list("person_id", "kind"))
    return off


def _grouped(fresh: list[Candidate]) -> dict[tuple[Any, ...], list[Candidate]]:
    """One group per person per kind (digests) or per person per item."""
    groups: dict[Any, list[Candidate]] = defaultdict(list)
    for c in fresh:
        groups[(c.kind, c.recipient_id) if c.digest else (c.kind, c.recipient_id, c.key)].append(c)
    return groups


def _notification_rows(fresh: list[Candidate], *, day: dt.date, queue: bool
                       ) -> tuple[list[dict[str, Any]], dict[str, list[Candidate]]]:
    """The notification rows to insert, and each one's candidates by its dedupe key."""
    switched_off = _switched_off({c.recipient_id for c in fresh})
    now = timezone.now()
    notifications: list[dict[str, Any]] = []
    members: dict[str, list[Candidate]] = {}
    for (kind, recipient_id, *one_item), items in _grouped(fresh).items():
        items.sort(key=lambda c: c.sort)
        key = _dedupe_key(kind, recipient_id, day, [c.key for c in items] if one_item else None)
        members[key] = items
        suppressed = kind not in ESSENTIAL_KINDS and (recipient_id, kind) in switched_off
        notifications.append({
            "recipient_id": recipient_id, "kind": str(kind), "subject": subject_for(kind, items),
            "cc": sorted({addr for c in items for addr in c.cc}), "dedupe_key": key, "for_date": day,
            "created_at": now, "queued_at": now if queue else None, "attempts": 0, "error": "",
            "status": str(Notification.Status.SUPPRESSED if suppressed else Notification.Status.PENDING),
        })
    return notifications, members


def _open_digests(members: dict[str, list[Candidate]]) -> dict[str, tuple[int, str]]:
    """Today's digests recorded by an earlier sweep, locked so no worker claims one while items are added.
    A per-item notification's key cannot be taken already: its item's key would have been."""
    existing: dict[str, tuple[int, str]] = {}
    for batch in _batches([key for key, items in members.items() if items[0].digest]):
        existing.update((key, (pk, status)) for pk, key, status in Notification.objects.select_for_update()
                        .filter(dedupe_key__in=batch).values_list("pk", "dedupe_key", "status"))
    return existing


def _add_to_open_digests(existing: dict[str, tuple[int, str]], members: dict[str, list[Candidate]]
                         ) -> dict[str, int]:
    """Items join a digest not yet being sent (DIGEST_OPEN); others are dropped from `members` (tomorrow's
    email). An item that comes again replaces its earlier line. Returns each digest's next item order."""
    first_order: dict[str, int] = defaultdict(int)
    earlier_items: dict[int, list[NotificationItem]] = defaultdict(list)
    for item in NotificationItem.objects.filter(notification_id__in=[pk for pk, _s in existing.values()]):
        earlier_items[item.notification_id].append(item)
    for key, (pk, status) in existing.items():
        if status not in DIGEST_OPEN:
            del members[key]
            continue
        again = {(c.item_type, c.item_id) for c in members[key]}
        superseded = [item.pk for item in earlier_items[pk] if (item.item_type, item.item_id) in again]
        if superseded:
            NotificationItem.objects.filter(pk__in=superseded).delete()
        items = sorted((item for item in earlier_items[pk] if item.pk not in superseded),
                       key=lambda item: (item.order, item.pk))
        first_order[key] = max((item.order for item in items), default=-1) + 1
        kind = key.split("|", 1)[0]
        Notification.objects.filter(pk=pk).update(subject=subject_for(kind, [*cast(list[Candidate], items),
                                                                             *members[key]]))
    return first_order


def _ids_by_key(notifications: list[dict[str, Any]], existing: dict[str, tuple[int, str]],
                members: dict[str, list[Candidate]]) -> dict[str, tuple[int, str]]:
    """The id and status of each key's notification: inserted now, recorded earlier, or by a racing sweep."""
    inserted = _insert_new(Notification, [n for n in notifications if n["dedupe_key"] not in existing],
                           returning=("dedupe_key", "id", "status"))
    ids: dict[str, tuple[int, str]] = {key: (pk, status) for key, pk, status in inserted}
    ids.update((key, value) for key, value in existing.items() if key in members)
    for batch in _batches([key for key in members if key not in ids]):
        ids.update((k, (pk, status)) for k, pk, status in
                   Notification.objects.filter(dedupe_key__in=batch).values_list("dedupe_key", "pk", "status"))
    return ids


def _insert_items(members: dict[str, list[Candidate]], ids: dict[str, tuple[int, str]],
                  first_order: dict[str, int]) -> None:
    _insert_new(NotificationItem, [
        {"notification_id": ids[key][0], "key": c.key, "item_type": str(c.item_type), "item_id": c.item_id,
         "label": c.label[:400], "url": c.url[:400], "due_date": c.due_date, "reason": c.reason[:100],
         "order": first_order[key] + order}
        for key, items in members.items()
        for order, c in enumerate(items)
    ])


def notifications_record(*, candidates: Iterable[Candidate], day: dt.date, queue: bool = True) -> SweepResult:
    """Record the candidates not recorded before: one notification per person per kind per day (digests) or
    per item, a bounded number of queries per 500 candidates. Runs inside the sweep's transaction; the rules
    (one email a person a day, DIGEST_OPEN) are in docs/notifications.md."""
    result = SweepResult(day=day)
    unique = _unique(candidates)
    result.candidates = len(unique)
    fresh = _fresh(unique) if unique else []
    if not fresh:
        return result
    notifications, members = _notification_rows(fresh, day=day, queue=queue)
    existing = _open_digests(members)
    first_order = _add_to_open_digests(existing, members) if existing else defaultdict(int)
    ids = _ids_by_key(notifications, existing, members)
    _insert_items(members, ids, first_order)

    pending = [pk for pk, status in ids.values() if status == Notification.Status.PENDING]
    result.created = len(notifications) - len(existing)
    result.suppressed = sum(1 for _pk, status in ids.values() if status == Notification.Status.SUPPRESSED)
    result.queued = len(pending) if queue else 0
    if queue:
        _queue_on_commit(pending)
    return result


def _queue_on_commit(notification_ids: list[int]) -> None:
    outbox_add_each("notifications.tasks.notification_send", [[pk] for pk in notification_ids])


def reminders_sweep(*, day: dt.date | None = None) -> SweepResult:
    """The daily sweep: every reminder due today, recorded once and queued for sending."""
    day = day or timezone.localdate()
    with transaction.atomic():
        if not try_transaction_lock(SWEEP_LOCK):
            logger.info("Reminder sweep for %s skipped: another sweep holds the lock", day)
            return SweepResult(day=day, skipped=True)
        result = notifications_record(candidates=candidates_for(day=day), day=day)
    logger.info("Reminder sweep for %s: %s", day, result)
    return result


def notifications_notify(*, candidates: Iterable[Candidate], day: dt.date | None = None) -> SweepResult:
    """Record notifications outside the sweep (e.g. a Board report is ready), each item key once."""
    with transaction.atomic():
        return notifications_record(candidates=candidates, day=day or timezone.localdate())


# --- Delivery -----------------------------------------------------------------------------------


def notification_claim(*, notification_id: int, now: dt.datetime | None = None,
                       sender_lock: bool | None = None) -> Notification | None:
    """Lock the row and take it for sending, or None when it is not ours to send. `sender_lock` True: the
    caller holds the sender lock, so a row "sending" was left by a dead worker; None (SQLite): only one
    "sending" longer than STALE_AFTER is taken over."""
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().filter(pk=notification_id).first()
        )
        if notification is None:
            return None
        status = notification.status
        if status in (Notification.Status.SENT, Notification.Status.SUPPRESSED, Notification.Status.FAILED,
                      Notification.Status.SKIPPED):
            return None
        if status == Notification.Status.SENDING:
            started = notification.sending_started_at
            if sender_lock is None and started is not None and started > now - STALE_AFTER:
                return None  # another worker is sending it right now (as far as SQLite can tell)
            logger.warning("Notification %s: the worker sending it stopped; sending it again", notification_id)
            notification.error = TAKEN_OVER
        if notification.kind not in ESSENTIAL_KINDS and NotificationPreference.objects.filter(
            person_id=notification.recipient_id, kind=notification.kind, enabled=False
        ).exists():
            notification.status = Notification.Status.SUPPRESSED
            notification.save(update_fields=["status"])
            return None
        if notification.kind == Kind.SESSION_REMINDER:
            # Recorded at the morning's sweep; the session or the place may have gone since.
            obsolete = session_reminder_obsolete(recipient_id=notification.recipient_id,
                                                 items=notification.items.all())
            if obsolete:
                notification.status = Notification.Status.SKIPPED
                notification.error = obsolete
                notification.save(update_fields=["status", "error"])
                logger.info("Notification %s not sent: %s", notification_id, obsolete)
                return None
        notification.status = Notification.Status.SENDING
        notification.sending_started_at = now
        notification.attempts += 1
        notification.save(update_fields=["status", "sending_started_at", "attempts", "error"])
    return notification


def notification_mark_sent(*, notification: Notification, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.SENT, sent_at=now, error=""
        )


def notification_mark_failed(*, notification: Notification, error: str, final: bool) -> None:
    """A failed attempt: pending again (to be retried) or, on the last attempt, failed with the reason."""
    status = Notification.Status.FAILED if final else Notification.Status.PENDING
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=status, error=error[:2000]
        )


def notification_deliver(*, notification_id: int, final_attempt: bool = True) -> str:
    """Send one notification at most once: claim, send, mark. Returns "sent", "skipped" or "failed";
    raises DeliveryDeferred when the mail server failed and another attempt is worth making."""
    with held_while(SENDER_LOCK, notification_id) as sender_lock:
        if sender_lock is False:
            return "skipped"  # a live worker is sending it right now
        notification = notification_claim(notification_id=notification_id, sender_lock=sender_lock)
        if notification is None:
            return "skipped"
        try:
            message = emails.notification_message(notification)
        except Exception as exc:  # a template or data error: retrying will not help
            logger.exception("Notification %s could not be rendered", notification_id)
            notification_mark_failed(notification=notification, error=f"Could not build the email: {exc}",
                                     final=True)
            return "failed"
        try:
            message.send()
        except TRANSIENT_ERRORS as exc:
            notification_mark_failed(notification=notification, error=f"Mail server: {exc}", final=final_attempt)
            if final_attempt:
                return "failed"
            raise DeliveryDeferred(str(exc)) from exc
        notification_mark_sent(notification=notification)
        return "sent"


def _sending_left_by_dead_workers(*, now: dt.datetime) -> list[int]:
    """Notifications "sending" whose sender is gone: on PostgreSQL those whose sender lock nobody holds
    (checked one by one, holding the lock while the row is put back), elsewhere those sending too long."""
    sending = Notification.objects.filter(status=Notification.Status.SENDING)
    if connection.vendor != "postgresql":
        with transaction.atomic():
            stale = list(sending.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
                         .filter(sending_started_at__lt=now - STALE_AFTER).values_list("pk", flat=True))
            sending.filter(pk__in=stale).update(status=Notification.Status.PENDING,
                                                error="The worker stopped while sending; queued again.")
        return stale
    stale = []
    for pk in sending.values_list("pk", flat=True)[:1000]:
        with held_while(SENDER_LOCK, pk) as free:
            if free and sending.filter(pk=pk).update(status=Notification.Status.PENDING,
                                                     error="The worker stopped while sending; queued again."):
                stale.append(pk)
    return stale


def notifications_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Put back notifications a dead worker left "sending", and queue pending ones whose task was lost."""
    now = now or timezone.now()
    stale = _sending_left_by_dead_workers(now=now)
    with transaction.atomic():
        # Pending, and its task queued more than LOST_AFTER ago (or never): the task was lost. Each is
        # queued again once per LOST_AFTER, so a long queue still draining is not flooded with copies.
        lost = list(
            Notification.objects.filter(status=Notification.Status.PENDING)
            .filter(Q(queued_at__lt=now - LOST_AFTER) | Q(queued_at__isnull=True, created_at__lt=now - LOST_AFTER))
            .exclude(pk__in=stale)
            .values_list("pk", flat=True)[:5000]
        )
        Notification.objects.filter(pk__in=stale + lost).update(queued_at=now)
        _queue_on_commit(stale + lost)
    return len(stale) + len(lost)


def notification_resend(*, notification: Notification, by: User) -> Notification:
    """An administrator sends a failed notification again."""
    if not has_role(by, Role.ADMINISTRATOR):
        raise NotificationError("Only an administrator can send a notification again.")
    with transaction.atomic():
        locked = Notification.objects.select_for_update().select_related("recipient").get(pk=notification.pk)
        if locked.status != Notification.Status.FAILED:
            raise NotificationError("Only a failed notification can be sent again.")
        if locked.kind not in ESSENTIAL_KINDS and NotificationPreference.objects.filter(
            person_id=locked.recipient_id, kind=locked.kind, enabled=False
        ).exists():
            raise NotificationError(
                f"Not sent again: {locked.recipient} has since switched off “{locked.get_kind_display()}” emails, "
                "so it would not be sent. It stays failed.")
        locked.status = Notification.Status.PENDING
        locked.queued_at = timezone.now()
        locked.save(update_fields=["status", "queued_at"])
        _queue_on_commit([locked.pk])
    return locked


# --- Preferences --------------------------------------------------------------------------------


def preferences_set(*, person: User, enabled_kinds: Iterable[str]) -> None:
    """Switch each optional kind on or off for the person. Deadline reminders cannot be switched off."""
    enabled_kinds = set(enabled_kinds)
    unknown = enabled_kinds - {k.value for k in Kind}
    if unknown:
        raise NotificationError(f"Unknown kinds of notification: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        for kind in OPTIONAL_KINDS:
            NotificationPreference.objects.update_or_create(
                person=person, kind=kind.value, defaults={"enabled": kind.value in enabled_kinds}
            )


# --- Personal data (the privacy app anonymises and applies retention through these) --------------------


def personal_data_anonymise(*, person: User, redact: Any) -> dict[str, int]:
    """Notifications stay (they are the record of what was sent) addressed to the placeholder; subjects,
    copied-in addresses, labels and delivery errors that named the person are rewritten."""
    return {
        "notifications": redact.rewrite(Notification.objects.all(), ["subject", "error"])
        + redact.rewrite_json(Notification.objects.all(), ["cc"]),
        "notification items": redact.rewrite(NotificationItem.objects.all(), ["label"]),
    }


def notifications_delete(*, created_before: dt.datetime) -> int:
    """Retention: notifications (and what they were about) older than the cut-off are deleted, except
    any still waiting to send. Reminder windows reach at most 60 days back (refreshers: 30 days' grace;
    evaluations: 30 days), so a cut-off three months back (privacy's shortest) never lets one go twice."""
    with transaction.atomic():
        old = Notification.objects.filter(created_at__lt=created_before).exclude(
            status__in=[Notification.Status.PENDING, Notification.Status.SENDING]
        )
        count = old.count()
        old.delete()
    return count
