"""One person's data as JSON (machine-readable, every field of every record) and as a readable PDF
(WeasyPrint, the same records). Rows come from `selectors.personal_data_of`."""

import datetime as dt
import json
import re
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from weasyprint import HTML

from core.pdf import table_header_scopes

from .selectors import CHANGE_KINDS, personal_data_of

FORMAT = "workforce-portal/personal-data/1"
NEVER_EXPORTED = {"password"}  # a one-way hash: no use to the person and a risk if leaked
HISTORY_TYPES = CHANGE_KINDS
# What a sign-in form sent, as django-axes keeps it: never the CSRF token (a credential of that browser session)
# nor anything named like a password (axes masks "password" itself; a differently named field is not masked).
SUBMITTED_FIELDS = {("axes", "accessattempt", "get_data"), ("axes", "accessattempt", "post_data")}
AXES_ATTEMPT_SEPARATOR = "\n---------\n"


def _secret(key: str) -> bool:
    key = key.strip().lower()
    return key == "csrfmiddlewaretoken" or "password" in key


def submitted_fields(text: str) -> list[dict[str, str]]:
    """django-axes' record of what failed sign-ins sent ("key=value" lines; repeated attempts joined by a line of
    dashes) as one {field: value} per attempt, without CSRF tokens or passwords."""
    attempts = []
    for block in (text or "").split(AXES_ATTEMPT_SEPARATOR):
        fields = {}
        for line in block.splitlines():
            key, equals, value = line.partition("=")
            if equals and not _secret(key):
                fields[key] = value
        if fields:
            attempts.append(fields)
    return attempts


def _without_secrets(value):
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items() if not _secret(str(k))}
    if isinstance(value, list | tuple):
        return [_without_secrets(v) for v in value]
    return value


def _plain(value):
    """A value as JSON holds it: times in ISO 8601 (Europe/London), decimals as strings."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def _related_label(obj, field) -> str | None:
    if getattr(obj, field.attname) is None:
        return None
    try:
        return str(getattr(obj, field.name))
    except Exception:  # noqa: BLE001 - a history row can point at a row since deleted
        return f"#{getattr(obj, field.attname)}"


def _label(name: str) -> str:
    return name[:1].upper() + name[1:].replace("_", " ")


def record_fields(obj) -> list[tuple[str, str, object]]:
    """(name, label, value) for every stored field of a row — a dict's items as they are — with values as Python
    holds them (dates, lists, dicts); JSON and the PDF each write them their own way. Never a password hash,
    a CSRF token or a password typed into a form."""
    if isinstance(obj, dict):
        return [(key, _label(key), _without_secrets(value)) for key, value in obj.items() if not _secret(key)]
    out = []
    meta = obj._meta
    for field in meta.concrete_fields:
        if field.name in NEVER_EXPORTED:
            continue
        label = str(field.verbose_name)
        label = label[:1].upper() + label[1:]
        if field.is_relation:
            value = _related_label(obj, field)
        elif field.name == "history_type":
            value = HISTORY_TYPES.get(obj.history_type, obj.history_type)
        elif (meta.app_label, meta.model_name, field.name) in SUBMITTED_FIELDS:
            value = submitted_fields(getattr(obj, field.attname))
        elif field.choices:
            raw = getattr(obj, field.attname)
            value = str(dict(field.flatchoices).get(raw, raw)) if raw not in (None, "") else raw
        elif isinstance(field, models.FileField):
            value = getattr(obj, field.attname).name or None
        else:
            value = _without_secrets(getattr(obj, field.attname))
        out.append((field.name, label, value))
    for field in meta.many_to_many:
        out.append((field.name, str(field.verbose_name).capitalize(), [str(o) for o in getattr(obj, field.name).all()]))
    return out


# --- The PDF: each value written as a person reads it ---------------------------------------------------------
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _when(value: dt.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)  # Europe/London (TIME_ZONE)
    return dateformat.format(value, "j F Y, H:i")


def _readable_text(value: str) -> str:
    """Text as it is, unless it is an ISO date or time (as JSON fields hold them): then as readable() writes one."""
    if ISO_DATETIME.match(value):
        try:
            return _when(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if ISO_DATE.match(value):
        try:
            return dateformat.format(dt.date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return value


def readable(value) -> str | list:
    """A value for the PDF: text, or a list (each item readable in turn) that the template writes as a list.
    Dates as dates ("3 March 2026"), times in Europe/London to the minute, yes/no, dicts as "Key: value"."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if value is True or value is False:
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return _when(value)
    if isinstance(value, dt.date):
        return dateformat.format(value, "j F Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, str):
        return _readable_text(value)
    if isinstance(value, dict):
        return [_pair(k, v) for k, v in value.items()]
    if isinstance(value, list | tuple | set):
        return [readable(v) for v in value]
    return str(value)


def _pair(key, value) -> str | list:
    shown = readable(value)
    if isinstance(shown, list):
        return [f"{_label(str(key))}:", shown]
    return f"{_label(str(key))}: {shown}"


def person_data(*, person) -> dict:
    """The export: the person it is about, when it was made, and every section with its records."""
    sections = []
    for section in personal_data_of(person=person):
        records = [record_fields(row) for row in section["rows"]]
        sections.append({**section, "records": records})
    return {"person": person, "generated_at": timezone.now(), "sections": sections}


def person_data_json(data: dict) -> bytes:
    person = data["person"]
    document = {
        "format": FORMAT,
        "generated_at": _plain(data["generated_at"]),
        "person": {"id": person.pk, "name": person.full_name, "email": person.email},
        "sections": {
            section["key"]: {
                "title": section["title"],
                "held_by": section["app_title"],
                "records": [{name: value for name, _label, value in record} for record in section["records"]],
            }
            for section in data["sections"]
        },
    }
    return json.dumps(_plain(document), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def person_data_pdf(data: dict) -> bytes:
    sections = [
        {**section, "records": [[(label, readable(value)) for _name, label, value in record]
                                for record in section["records"]]}
        for section in data["sections"]
    ]  # fmt: skip
    html = render_to_string("privacy/pdf/person_data.html", {**data, "sections": sections})
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", finisher=table_header_scopes)


def export_filename(person, extension: str) -> str:
    return f"personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"
