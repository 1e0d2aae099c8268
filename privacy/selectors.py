"""Reads for data protection: everything held about one person (from what every app registered in
core.personal_data), the audit log of changes to personal records, retention periods and the job's runs."""

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Q, QuerySet, Value

from core.personal_data import AuditedHistory, personal_data_providers
from workforce.models import StaffProfile, User

from .models import (
    RETENTION_DEFAULTS,
    RETENTION_MINIMUM,
    DataRequest,
    RetentionKind,
    RetentionPolicy,
    RetentionRun,
)
from .redaction import Redactor

Rows = QuerySet[Any, Any]  # a queryset of .values() rows

OWN_TITLE = "Sign-in and data protection"  # the export's section for what privacy and the libraries hold


def people_search(*, text: str) -> QuerySet[User]:
    """Anyone with an account (leavers and anonymised accounts too), by name or email."""
    people = get_user_model().objects.select_related("profile__organisation").order_by("last_name", "first_name", "pk")
    for word in text.split():
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return people


class Identifiers(TypedDict):
    first_names: list[str]
    last_names: list[str]
    emails: set[str]
    others: set[str]


def identifiers_of(*, person: User) -> Identifiers:
    """The person's names, emails and phone numbers now and in the account's history."""
    User = get_user_model()
    values = list(User.history.filter(id=person.pk).values_list("first_name", "last_name", "email", "phone"))
    values.append((person.first_name, person.last_name, person.email, person.phone))
    refs = set(StaffProfile.objects.filter(user_id=person.pk).values_list("employee_ref", flat=True))
    refs |= set(StaffProfile.history.filter(user_id=person.pk).values_list("employee_ref", flat=True))
    return {
        "first_names": [v[0] for v in values],
        "last_names": [v[1] for v in values],
        "emails": {v[2].lower() for v in values if v[2]},
        "others": {v[3] for v in values if v[3]} | {r for r in refs if r},
    }


def redactor_for(*, person: User) -> Redactor:
    ids = identifiers_of(person=person)
    return Redactor.for_person(pk=person.pk, first_names=ids["first_names"], last_names=ids["last_names"],
                               emails=ids["emails"], others=ids["others"])  # fmt: skip


def _sign_in_records(emails: set[str]) -> Q:
    q = Q(pk__in=[])
    for email in emails:
        q |= Q(username__iexact=email)
    return q


def sign_in_records_of(*, emails: set[str]) -> dict[str, QuerySet[Any]]:
    """django-axes' records of sign-ins and failed attempts with the person's email addresses."""
    q = _sign_in_records(emails)
    return {
        "sign_in_log": AccessLog.objects.filter(q).order_by("attempt_time"),
        "failed_sign_ins": AccessFailureLog.objects.filter(q).order_by("attempt_time"),
        "sign_in_attempts": AccessAttempt.objects.filter(q).order_by("attempt_time"),
    }


def two_factor_devices_of(*, person: User) -> list[dict[str, Any]]:
    """The person's authenticator apps (django-otp), without their secret keys."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return [
        {"name": d.name, "confirmed": d.confirmed, "set up": d.created_at, "last used": d.last_used_at}
        for d in TOTPDevice.objects.filter(user=person).order_by("pk")
    ]


# A history row's kind as the export says it (the audit log capitalises its own: HISTORY_TYPES below).
CHANGE_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def changes_made_by(*, person: User) -> dict[str, list[dict[str, Any]]]:
    """Every change the person made to any record, by app, oldest first: one reader of simple_history's
    `history_user` covers every app's history. Records are named by kind and number, never their text."""
    found: dict[str, list[dict[str, Any]]] = {}
    history_models: list[Any] = [
        m for m in apps.get_models() if getattr(m, "instance_type", None) and hasattr(m, "history_user")
    ]
    for model in history_models:
        label = str(model.instance_type._meta.verbose_name)
        label = label[:1].upper() + label[1:]
        rows = model.objects.filter(history_user_id=person.pk).values_list("id", "history_date", "history_type")
        found.setdefault(model._meta.app_label, []).extend(
            {"record type": label, "record": f"{label} {pk}", "when": when, "change": CHANGE_KINDS.get(kind, kind)}
            for pk, when, kind in rows
        )
    return {app: sorted(rows, key=lambda row: row["when"]) for app, rows in found.items() if rows}


def personal_data_of(*, person: User) -> list[dict[str, Any]]:
    """Everything the portal holds about one person, as sections: {app, key, title, rows}. Rows are
    model instances (history records too) or plain dicts; privacy.exports renders them. Each app's sections
    end with the changes the person made to that app's records (changes_made_by)."""
    sections: list[dict[str, Any]] = []
    changes = changes_made_by(person=person)
    for provider in personal_data_providers():
        app = provider.app
        found = dict(provider.export(person=person))
        found[f"changes_made_{app}"] = ("Changes they made to records", changes.pop(app, []))
        for key, (title, rows) in found.items():
            sections.append({"app": app, "app_title": provider.title, "key": key, "title": title, "rows": rows})
    sign_ins = sign_in_records_of(emails=identifiers_of(person=person)["emails"])
    own = {
        "sign_in_log": ("Successful sign-ins", sign_ins["sign_in_log"]),
        "failed_sign_ins": ("Failed sign-ins", sign_ins["failed_sign_ins"]),
        "sign_in_attempts": ("Sign-in attempts counted towards a lock-out", sign_ins["sign_in_attempts"]),
        "admin_log": (
            "Changes made in the Django admin about them",
            LogEntry.objects.filter(content_type__model="user", object_id=str(person.pk)).order_by("action_time"),
        ),
        "two_factor": ("Two-factor sign-in", two_factor_devices_of(person=person)),
        "data_requests": ("Data-protection requests about them", DataRequest.objects.filter(subject=person)),
        "changes_made_privacy": ("Changes they made to records", changes.pop("privacy", [])),
    }
    for key, (title, rows) in own.items():
        sections.append(
            {"app": "privacy", "app_title": OWN_TITLE, "key": key, "title": title, "rows": rows}
        )
    return sections


# --- Retention ------------------------------------------------------------------------------------------


def retention_months() -> dict[str, int]:
    """Each kind's retention period in months: the administrator's setting, or the default."""
    months = {kind.value: RETENTION_DEFAULTS[kind] for kind in RetentionKind}
    months.update(dict(RetentionPolicy.objects.values_list("kind", "months")))
    return months


def leaver_anonymised_on(*, left_on: dt.date) -> dt.date:
    """The day of the first nightly retention run that anonymises someone who left on `left_on`: the first day
    whose leavers' cut-off (that day less the leavers' period, in calendar months) is after `left_on`."""
    from dateutil.relativedelta import relativedelta

    months = retention_months()[RetentionKind.LEAVER_ACCOUNTS]
    day: dt.date = left_on + relativedelta(months=months)
    while day - relativedelta(months=months) <= left_on:
        day += dt.timedelta(days=1)
    return day


def retention_policies() -> list[dict[str, Any]]:
    set_by = {p.kind: p for p in RetentionPolicy.objects.select_related("updated_by")}
    return [
        {"kind": kind.value, "label": kind.label,
         "months": set_by[kind].months if kind in set_by else RETENTION_DEFAULTS[kind],
         "default": RETENTION_DEFAULTS[kind], "minimum": RETENTION_MINIMUM[kind], "policy": set_by.get(kind)}
        for kind in RetentionKind
    ]  # fmt: skip


def retention_runs() -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("started_by")


# --- The audit log ----------------------------------------------------------------------------------------


def _audited() -> dict[str, AuditedHistory]:
    """The history tables the audit log reads: those the apps registered, and the retention periods'."""
    found = {history.source: history for provider in personal_data_providers() for history in provider.audited}
    found["retention_policy"] = AuditedHistory("retention_policy", "Retention period", RetentionPolicy, "updated_by_id")
    return found


def _audit_sources() -> list[Rows]:
    """A queryset of values (when_at, actor, about, change, row, source) for every record of changes to
    personal data: each audited history table, the bookings' events and the data-protection requests."""
    from training.models import BookingEvent

    def history(model: type, subject: str, source: str) -> Rows:
        rows: Rows = model.history.values(  # type: ignore[attr-defined]  # simple_history's manager
            when_at=F("history_date"), actor=F("history_user_id"), about=F(subject),
            change=F("history_type"), row=F("history_id"), source=Value(source, output_field=CharField()),
        )  # fmt: skip
        return rows

    return [
        *(history(audited.model, audited.about, audited.source) for audited in _audited().values()),
        BookingEvent.objects.values(
            when_at=F("at"), actor=F("by_id"), about=F("booking__person_id"), change=F("to_status"),
            row=F("pk"), source=Value("booking", output_field=CharField()),
        ),  # fmt: skip
        DataRequest.objects.values(
            when_at=F("at"), actor=F("by_id"), about=F("subject_id"), change=F("kind"),
            row=F("pk"), source=Value("data_request", output_field=CharField()),
        ),  # fmt: skip
    ]


def audit_entries(
    *, people: Iterable[Any] | None = None, changed_by: Iterable[Any] | None = None, since: dt.date | None = None,
    until: dt.date | None = None,
) -> Rows:
    """Every recorded change to personal data, newest first, as one queryset of plain rows (a UNION of the
    history tables): filter by the people it was about, who made it, and the days it happened."""
    from django.utils import timezone

    parts = []
    for qs in _audit_sources():
        if people is not None:
            qs = qs.filter(about__in=people)
        if changed_by is not None:
            qs = qs.filter(actor__in=changed_by)
        if since is not None:
            qs = qs.filter(when_at__gte=timezone.make_aware(dt.datetime.combine(since, dt.time.min)))
        if until is not None and until < dt.date.max:  # up to the last day there is: no end at all
            end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min)
            qs = qs.filter(when_at__lt=timezone.make_aware(end))
        parts.append(qs.order_by())
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-when_at", "-row")


OWN_AUDIT_TITLES = {"booking": "Booking", "data_request": "Data-protection request"}
HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Deleted"}


def audit_source_titles() -> dict[str, str]:
    """Each kind of record in the audit log, as the log names it."""
    return {source: audited.title for source, audited in _audited().items()} | OWN_AUDIT_TITLES


def _history_model(source: str) -> Any:
    return _audited()[source].model.history.model  # type: ignore[attr-defined]  # simple_history's manager


def _field_text(record: Any, name: str) -> str:
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "–"
    if field.is_relation:
        try:
            return str(getattr(record, name))
        except Exception:  # noqa: BLE001 - the related row may be gone; its id is what is left
            return f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _group_names(rows: list[dict[str, Any]] | None) -> str:
    from django.contrib.auth.models import Group

    ids = [row["group"] for row in rows or []]
    return ", ".join(sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True))) or "none"


def _changes(record: Any) -> list[str]:
    """What a history record changed, field by field, against the record before it."""
    previous = record.prev_record
    if previous is None or record.history_type != "~":
        return []
    delta = record.diff_against(previous, foreign_keys_are_objs=False)
    lines: list[str] = []
    for change in delta.changes:
        if change.field in {"updated_at"}:
            continue
        if change.field == "groups":  # the account's roles (many-to-many history rows)
            lines.append(f"Roles: {_group_names(change.old)} → {_group_names(change.new)}")
            continue
        try:
            label = str(record._meta.get_field(change.field).verbose_name)
        except Exception:  # noqa: BLE001 - a many-to-many field has no column on the history model
            lines.append(f"{change.field.replace('_', ' ').capitalize()} changed")
            continue
        lines.append(f"{label[:1].upper()}{label[1:]}: {_field_text(previous, change.field)} → "
                     f"{_field_text(record, change.field)}")  # fmt: skip
    return lines


def audit_rows_described(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of one page of the audit log with who, about whom and what, ready to show."""
    from training.models import BookingEvent

    User = get_user_model()
    people = User.objects.in_bulk({r["actor"] for r in rows if r["actor"]} | {r["about"] for r in rows if r["about"]})
    by_source: dict[str, set[int]] = {}
    for row in rows:
        by_source.setdefault(row["source"], set()).add(row["row"])
    loaded: dict[str, dict[Any, Any]] = {}
    for source, ids in by_source.items():
        if source == "booking":
            loaded[source] = BookingEvent.objects.select_related("booking__session__course").in_bulk(ids)
        elif source == "data_request":
            loaded[source] = DataRequest.objects.in_bulk(ids)
        else:
            loaded[source] = _history_model(source).objects.in_bulk(ids)
    titles = audit_source_titles()
    described: list[dict[str, Any]] = []
    for row in rows:
        record: Any = loaded[row["source"]].get(row["row"])
        if row["source"] == "booking":
            what = [f"{record.booking.session}: {record.get_from_status_display() or 'new'} → "
                    f"{record.get_to_status_display()}" + (f" ({record.note})" if record.note else "")]  # fmt: skip
            action = "Booking"
        elif row["source"] == "data_request":
            what, action = [f"{k}: {v}" for k, v in record.details.items()], record.get_kind_display()
        else:
            action = HISTORY_TYPES.get(record.history_type, record.history_type)
            what = _changes(record)
            if record.history_change_reason:
                what.insert(0, record.history_change_reason)
        described.append({
            "when": row["when_at"], "by": people.get(row["actor"]), "about": people.get(row["about"]),
            "record": titles[row["source"]], "action": action, "what": what,
        })  # fmt: skip
    return described
