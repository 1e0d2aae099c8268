"""One person's data as JSON (machine-readable, every field of every record) and as a readable PDF
(WeasyPrint, the same records). Rows come from `selectors.personal_data_of`."""

import datetime as dt
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from workforce.pdf_table_headers import table_header_scopes

from .selectors import personal_data_of

FORMAT = "workforce-portal/personal-data/1"
NEVER_EXPORTED = {"password"}  # a one-way hash: no use to the person and a risk if leaked
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _plain(value):
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


def record_fields(obj) -> list[tuple[str, str, object]]:
    """(name, label, value) for every stored field of a row — a dict's items as they are."""
    if isinstance(obj, dict):
        return [(key, key[:1].upper() + key[1:].replace("_", " "), _plain(value)) for key, value in obj.items()]
    out = []
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_EXPORTED:
            continue
        label = str(field.verbose_name)
        label = label[:1].upper() + label[1:]
        if field.is_relation:
            value = _related_label(obj, field)
        elif field.name == "history_type":
            value = HISTORY_TYPES.get(obj.history_type, obj.history_type)
        elif field.choices:
            raw = getattr(obj, field.attname)
            value = str(dict(field.flatchoices).get(raw, raw)) if raw not in (None, "") else raw
        elif isinstance(field, models.FileField):
            value = getattr(obj, field.attname).name or None
        else:
            value = _plain(getattr(obj, field.attname))
        out.append((field.name, label, value))
    for field in obj._meta.many_to_many:
        out.append((field.name, str(field.verbose_name).capitalize(), [str(o) for o in getattr(obj, field.name).all()]))
    return out


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
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def person_data_pdf(data: dict) -> bytes:
    html = render_to_string("privacy/pdf/person_data.html", data)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", finisher=table_header_scopes)


def export_filename(person, extension: str) -> str:
    return f"personal-data-{person.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"
