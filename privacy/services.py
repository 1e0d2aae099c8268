"""Every write for data protection: recording exports, anonymising a person (through what each app registered
in core.personal_data), setting retention periods and running the retention job. docs/privacy.md."""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.utils import timezone

from core.history import history_note
from core.locking import try_transaction_lock
from core.personal_data import Redact, personal_data_anonymise_order, personal_data_providers
from workforce.models import User

from . import selectors
from .models import RETENTION_MAXIMUM, RETENTION_MINIMUM, DataRequest, RetentionKind, RetentionPolicy, RetentionRun

log = logging.getLogger(__name__)
RETENTION_LOCK = "privacy.retention"  # core.locking: one retention run at a time


class PrivacyError(Exception):
    """A request the rules do not allow; the message is shown to the administrator."""


def export_record(*, person: User, by: User | None, kind: str, data: dict[str, Any]) -> DataRequest:
    """Note that an export was made, with how many records of each kind it held (never the records)."""
    counts = {section["title"]: len(section["records"]) for section in data["sections"] if section["records"]}
    return DataRequest.objects.create(kind=kind, subject=person, by=by, details=counts)


# --- Anonymising ------------------------------------------------------------------------------------------

def person_anonymise(*, person: User, by: User | None, reason: str = "") -> DataRequest:
    """Remove a leaver's name and contact details from every table, history included, in one transaction.
    Their bookings, completions, attendance, evaluations' ratings, roles held and governance seats stay and
    keep counting, attached to the placeholder "Former staff member <id>". They can no longer sign in."""
    if person.is_anonymised:
        raise PrivacyError("This account has already been anonymised.")
    if by is not None and by.pk == person.pk:
        raise PrivacyError("You cannot anonymise your own account.")
    with transaction.atomic():
        redact = selectors.redactor_for(person=person)
        emails = selectors.identifiers_of(person=person)["emails"]
        done: dict[str, int] = {}
        for provider in personal_data_anonymise_order():  # the accounts' app last
            kwargs = {"by": by} if provider.accounts else {}
            done.update(provider.anonymise(person=person, redact=redact, **kwargs))
        done.update(_third_party_anonymise(person=person, redact=redact, emails=emails))
        details: dict[str, int | str] = {name: count for name, count in done.items() if count}
        if reason:
            details["reason"] = reason
        request = DataRequest.objects.create(kind=DataRequest.Kind.ANONYMISE, subject_id=person.pk, by=by,
                                             details=details)  # fmt: skip
    return request


def _third_party_anonymise(*, person: User, redact: Redact, emails: set[str]) -> dict[str, int]:
    """What libraries hold: django-axes' sign-in records and django-otp's authenticators (deleted), and the
    Django admin's log (rewritten)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    sign_ins = sum(qs.delete()[0] for qs in selectors.sign_in_records_of(emails=emails).values())
    devices, _ = TOTPDevice.objects.filter(user_id=person.pk).delete()
    admin_log = redact.rewrite(LogEntry.objects.all(), ["object_repr", "change_message"])
    return {"sign-in records": sign_ins, "two-factor devices": devices, "admin log entries": admin_log}


# --- Retention periods ----------------------------------------------------------------------------------


def retention_months_set(*, months: dict[str, int], by: User) -> list[str]:
    """Set retention periods (months per kind). Returns the kinds that changed. Out of range: PrivacyError."""
    for name, value in months.items():
        asked = RetentionKind(name)
        if not RETENTION_MINIMUM[asked] <= value <= RETENTION_MAXIMUM:
            raise PrivacyError(f"{asked.label}: between {RETENTION_MINIMUM[asked]} and {RETENTION_MAXIMUM} months.")
    changed: list[str] = []
    current = selectors.retention_months()
    with transaction.atomic():
        for kind, value in months.items():
            if current[kind] == value:
                continue
            policy = RetentionPolicy.objects.select_for_update().filter(kind=kind).first() or RetentionPolicy(kind=kind)
            policy.months, policy.updated_by = value, by
            history_note(policy, by=by)
            policy.save()
            changed.append(kind)
    return changed


# --- The retention job ----------------------------------------------------------------------------------


def _cutoff(today: dt.date, months: int) -> dt.date:
    cutoff: dt.date = today - relativedelta(months=months)
    return cutoff


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


Step = tuple[RetentionKind, str, dt.date, Callable[[], int | tuple[int, int]]]


def _retention_steps(today: dt.date, months: dict[str, int]) -> list[Step]:
    """(kind, action, cutoff, do) for each kind of record; `do()` returns how many it changed."""
    from actions.services import plan_imports_clear
    from partners.services import external_memberships_anonymise
    from training.services import evaluation_comments_clear
    from workforce.selectors import leavers_left_before
    from workforce.services import import_batches_clear

    K = RetentionKind

    def cut(kind: RetentionKind) -> dt.date:
        return _cutoff(today, months[kind])

    def leavers() -> tuple[int, int]:
        # At most LEAVERS_PER_RUN a night (each searches every text column that could name them): a first
        # run over years of leavers catches up over a few nights instead of holding one long transaction.
        due = leavers_left_before(day=cut(K.LEAVER_ACCOUNTS))
        count = 0
        for person in due[: settings.RETENTION_LEAVERS_PER_RUN]:
            reason = f"Retention: left over {months[K.LEAVER_ACCOUNTS]} months ago"
            person_anonymise(person=person, by=None, reason=reason)
            count += 1
        return count, due.count()

    def sign_ins() -> int:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        before = _start_of(cut(K.SIGN_IN_ATTEMPTS))
        return sum(model.objects.filter(attempt_time__lt=before).delete()[0]
                   for model in (AccessAttempt, AccessFailureLog, AccessLog))  # fmt: skip

    def registered(kind: RetentionKind) -> int:
        """What the apps registered for this kind (core.personal_data): each clears what is older than the start
        of the cut-off day."""
        before = _start_of(cut(kind))
        return sum(provider.retention[kind](before) for provider in personal_data_providers()
                   if kind in provider.retention)  # fmt: skip

    def imports() -> int:
        before = _start_of(cut(K.IMPORT_FILES))
        return import_batches_clear(created_before=before) + plan_imports_clear(created_before=before)

    return [
        (K.LEAVER_ACCOUNTS, "anonymised", cut(K.LEAVER_ACCOUNTS), leavers),
        (K.SIGN_IN_ATTEMPTS, "deleted", cut(K.SIGN_IN_ATTEMPTS), sign_ins),
        (K.NOTIFICATIONS, "deleted", cut(K.NOTIFICATIONS), lambda: registered(K.NOTIFICATIONS)),
        (K.IMPORT_FILES, "contents removed", cut(K.IMPORT_FILES), imports),
        (K.EVALUATION_COMMENTS, "comments removed", cut(K.EVALUATION_COMMENTS),
         lambda: evaluation_comments_clear(submitted_before=_start_of(cut(K.EVALUATION_COMMENTS)))),
        (K.EXTERNAL_MEMBERS, "contact details removed", cut(K.EXTERNAL_MEMBERS),
         lambda: external_memberships_anonymise(ended_before=cut(K.EXTERNAL_MEMBERS))),
    ]  # fmt: skip


def retention_run(*, by: User | None = None) -> RetentionRun | None:
    """Anonymise or delete what is past its retention period, and log it: idempotent, one transaction behind
    a non-blocking lock (a second run at once returns None). docs/privacy.md."""
    trigger = RetentionRun.Trigger.ADMINISTRATOR if by is not None else RetentionRun.Trigger.SCHEDULE
    run = RetentionRun.objects.create(trigger=trigger, started_by=by)
    today = timezone.localdate()
    months = selectors.retention_months()
    try:
        with transaction.atomic():
            if not try_transaction_lock(RETENTION_LOCK):
                raise _AlreadyRunning
            results = []
            for kind, action, cutoff, do in _retention_steps(today, months):
                done = do()
                count, waiting = done if isinstance(done, tuple) else (done, 0)
                results.append({"kind": kind.value, "label": kind.label, "months": months[kind],
                                "cutoff": cutoff.isoformat(), "action": action, "count": count,
                                "waiting": waiting})  # fmt: skip
    except _AlreadyRunning:
        run.delete()
        log.info("Retention run skipped: another run holds the lock")
        return None
    except Exception as exc:
        run.status, run.error = RetentionRun.Status.FAILED, f"{type(exc).__name__}: {exc}"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        log.exception("Retention run %s failed; nothing was changed", run.pk)
        raise
    run.status, run.results, run.finished_at = RetentionRun.Status.DONE, results, timezone.now()
    run.save(update_fields=["status", "results", "finished_at"])
    log.info("Retention run %s: %s", run.pk, {r["kind"]: r["count"] for r in results})
    return run


class _AlreadyRunning(Exception):
    pass

