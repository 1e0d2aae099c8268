"""Reading and checking a staff file from an HR system (CSV or XLSX), and writing the same shape out.

Nothing here writes to the database: `services.staff_import_preview` / `staff_import_confirm` do.
The file is read with the csv module or openpyxl; every row is checked against the file and the portal,
and each problem is reported against the column that is wrong, in words an HR officer understands.
"""

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from partners.models import Organisation

from .models import CTS_BANDS, StaffProfile, User
from .uploads import xlsx_unpacked_bytes

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB: about 60,000 rows of a typical HR export
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # 60,000 rows: 2.8 MB as .xlsx, 47 MB unpacked (measured)
ALLOWED_EXTENSIONS = (".csv", ".xlsx")

# The file's columns, in order, with their headings. Export writes exactly these; import reads them in any
# order (headings are matched ignoring case, spaces and underscores).
COLUMNS = [
    ("email", "email"),
    ("hr_reference", "hr_reference"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("organisation", "organisation"),
    ("job_title", "job_title"),
    ("workforce", "workforce"),
    ("service_tier", "service_tier"),
    ("cts_band", "cts_band"),
    ("line_manager_email", "line_manager_email"),
    ("employment", "employment"),
    ("hours", "hours"),
    ("start_date", "start_date"),
]
COLUMN_NAMES = [name for name, _heading in COLUMNS]
COLUMN_OF = {"employee_ref": "hr_reference", "organisation_id": "organisation"}  # clean key -> file column
REQUIRED = ["email", "first_name", "last_name", "organisation", "job_title", "cts_band"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
CHUNK = 500  # keeps IN (...) lists under every database's parameter limit


class StaffFileError(Exception):
    """The file as a whole cannot be read (wrong type, too big, no header, missing columns)."""


@dataclass
class RowResult:
    line: int  # the row's line in the file (the header is line 1)
    values: dict  # the row as read, normalised to strings
    outcome: str = ""  # new, updated, unchanged; empty when the row has errors
    errors: dict = field(default_factory=dict)  # column -> message
    clean: dict = field(default_factory=dict)  # typed values ready to save
    changes: list = field(default_factory=list)  # for an updated person: the columns that change

    def as_json(self) -> dict:
        return {"line": self.line, "values": self.values, "outcome": self.outcome, "changes": self.changes}


# --- Reading ----------------------------------------------------------------------------------------


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# A cell starting with one of these would be run as a formula by a spreadsheet: the export prefixes it with an
# apostrophe (Excel's "this is text" mark) and the import drops that apostrophe again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _export_text(value) -> str:
    text = _cell_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _import_text(value) -> str:
    text = _cell_text(value)
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _heading_key(text: str) -> str:
    return "".join(ch for ch in str(text or "").lower() if ch.isalnum())


HEADINGS = {_heading_key(name): name for name in COLUMN_NAMES} | {
    "hrref": "hr_reference",
    "employeeref": "hr_reference",
    "employeereference": "hr_reference",
    "band": "cts_band",
    "ctsband": "cts_band",
    "coretrainingstandardband": "cts_band",
    "linemanager": "line_manager_email",
    "managersemail": "line_manager_email",
    "tier": "service_tier",
}


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data:  # no text file holds one, and the database cannot store one
        raise StaffFileError("This file is not a CSV file: it looks like a binary file. Save it as CSV or .xlsx.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise StaffFileError("This file's text could not be read. Save it as CSV (UTF-8) and try again.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from reader
    except csv.Error as exc:
        raise StaffFileError(
            f"Line {reader.line_num} of the file cannot be read as CSV: a cell is far too long, or a quote or line "
            "break is out of place. Save the file as CSV (UTF-8) from your spreadsheet and try again."
        ) from exc


XLSX_UNREADABLE = "This file is not an Excel workbook that can be opened. Save it as .xlsx or CSV."


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    if xlsx_unpacked_bytes(data) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise StaffFileError(f"This workbook unpacks to more than {limit} MB, far more than a staff list needs. "
                             "Save it as CSV and try again.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise StaffFileError(XLSX_UNREADABLE) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in row]
    except Exception as exc:  # read-only workbooks are parsed as they are read: damage shows up here
        raise StaffFileError(XLSX_UNREADABLE) from exc
    finally:
        workbook.close()


def read_staff_file(*, name: str, data: bytes) -> list[tuple[int, dict]]:
    """The file's data rows as (line number, {column: text}). Raises StaffFileError for a file that is not
    CSV/XLSX, is too big, is empty, has no header row or lacks a required column."""
    lower = (name or "").lower()
    if not lower.endswith(ALLOWED_EXTENSIONS):
        raise StaffFileError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise StaffFileError(f"The file is larger than {limit} MB. Split it and import each part.")
    if not data.strip():
        raise StaffFileError("The file is empty.")
    rows = _xlsx_rows(data) if lower.endswith(".xlsx") else _csv_rows(data)

    header: list[str | None] | None = None
    result = []
    line = 0
    for raw in rows:
        line += 1
        cells = [_import_text(cell) for cell in raw]
        if not any(cells):
            continue
        if header is None:
            header = [HEADINGS.get(_heading_key(cell)) for cell in cells]
            if not any(header):
                raise StaffFileError(
                    "The file has no header row. Its first row must name the columns: " + ", ".join(COLUMN_NAMES) + "."
                )
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise StaffFileError("The file has no column for: " + ", ".join(missing) + ".")
            continue
        values = {name: "" for name in COLUMN_NAMES}
        for column, cell in zip(header, cells, strict=False):
            if column:
                values[column] = cell
        result.append((line, values))
    if header is None:
        raise StaffFileError("The file is empty.")
    if not result:
        raise StaffFileError("The file has a header row but no people in it.")
    return result


# --- Checking ---------------------------------------------------------------------------------------


def _choice_map(choices) -> dict[str, str]:
    """Accept a choice's value, its label, or its label's short form ("Core" for "Core (works with …)")."""
    accepted = {}
    for value, label in choices:
        for key in (value, label.lower(), label.split(" (")[0].lower()):
            accepted[key] = value
    return accepted


CHOICE_COLUMNS = [
    ("workforce", _choice_map(StaffProfile.Workforce.choices), StaffProfile.Workforce.CORE),
    ("service_tier", _choice_map(StaffProfile.ServiceTier.choices), StaffProfile.ServiceTier.UNIVERSAL),
    ("employment", _choice_map(StaffProfile.Employment.choices), StaffProfile.Employment.PAID),
    ("hours", _choice_map(StaffProfile.Hours.choices), StaffProfile.Hours.FULL_TIME),
]
CHOICE_VALUES = {
    "workforce": StaffProfile.Workforce.values,
    "service_tier": StaffProfile.ServiceTier.values,
    "employment": StaffProfile.Employment.values,
    "hours": StaffProfile.Hours.values,
}


def _read_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_people(emails: set[str], refs: set[tuple[int, str]]) -> tuple[dict, dict]:
    """Existing people by lower-cased email, and by (organisation id, HR reference)."""
    fields = [
        "pk", "email", "first_name", "last_name", "profile__employee_ref", "profile__organisation_id",
        "profile__job_title", "profile__workforce", "profile__service_tier", "profile__cts_band",
        "profile__line_manager_id", "profile__employment", "profile__hours", "profile__start_date",
        "profile__pk",
    ]  # fmt: skip
    by_email, by_ref = {}, {}
    for chunk in _chunks(sorted(emails)):
        for row in User.objects.filter(email__in=chunk).values(*fields):
            by_email[row["email"].lower()] = row
    ref_values = sorted({ref for _org, ref in refs})
    for chunk in _chunks(ref_values):
        for row in User.objects.filter(profile__employee_ref__in=chunk).values(*fields):
            by_ref[(row["profile__organisation_id"], row["profile__employee_ref"])] = row
    return by_email, by_ref


def _manager_ids(emails: set[str]) -> dict[str, int]:
    ids = {}
    for chunk in _chunks(sorted(emails)):
        for pk, email in User.objects.filter(email__in=chunk, is_active=True).values_list("pk", "email"):
            ids[email.lower()] = pk
    return ids


def check_staff_rows(rows: list[tuple[int, dict]], *, organisation: Organisation | None) -> list[RowResult]:
    """Check every row against the file and the portal. `organisation`: the lead's organisation, when a lead
    imports (every row must be in it); None when an administrator imports (any organisation)."""
    organisations = {}
    for org in Organisation.objects.filter(is_active=True).only("pk", "name", "slug"):
        organisations[org.name.strip().lower()] = org
        organisations[org.slug] = org

    results = [RowResult(line=line, values=values) for line, values in rows]
    emails_in_file = {r.values["email"].strip().lower() for r in results if r.values["email"]}
    manager_emails = {r.values["line_manager_email"].strip().lower() for r in results if r.values["line_manager_email"]}
    refs = set()
    seen_email: dict[str, int] = {}
    seen_ref: dict[tuple, int] = {}

    for result in results:
        v, errors, clean = result.values, result.errors, result.clean
        for name in REQUIRED:
            if not v[name].strip():
                errors[name] = "This column is empty, and every person needs it."
        email = v["email"].strip().lower()
        if email and "email" not in errors:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = f"“{v['email']}” is not an email address."
            else:
                if email in seen_email:
                    errors["email"] = f"This email is also on row {seen_email[email]}: each person once."
                else:
                    seen_email[email] = result.line
        clean["email"] = email
        org_text = v["organisation"].strip()
        if org_text and "organisation" not in errors:
            org = organisations.get(org_text.lower())
            if org is None:
                errors["organisation"] = f"There is no organisation called “{org_text}” in the partnership."
            elif organisation is not None and org.pk != organisation.pk:
                errors["organisation"] = f"You can import people of {organisation.name} only."
            else:
                clean["organisation_id"] = org.pk
        band_text = v["cts_band"].strip()
        if band_text and "cts_band" not in errors:
            digits = band_text.lower().removeprefix("band").strip()
            if digits.isdigit() and int(digits) in CTS_BANDS:
                clean["cts_band"] = int(digits)
            else:
                allowed = ", ".join(str(b) for b in CTS_BANDS)
                errors["cts_band"] = f"“{band_text}” is not a Core Training Standard band (use one of {allowed})."
        for column, accepted, default in CHOICE_COLUMNS:
            text = v[column].strip()
            value = accepted.get(text.lower()) if text else default
            if value is None:
                errors[column] = f"“{text}” is not one of: {', '.join(CHOICE_VALUES[column])}."
            clean[column] = value
        start = v["start_date"].strip()
        clean["start_date"] = None
        if start:
            parsed = _read_date(start)
            if parsed is None:
                errors["start_date"] = (
                    f"“{start}” is not a date that can be read. Write it as 2024-01-31 or 31/01/2024."
                )
            else:
                clean["start_date"] = parsed
        manager = v["line_manager_email"].strip().lower()
        clean["line_manager_email"] = manager
        if manager and manager == email:
            errors["line_manager_email"] = "A person cannot be their own line manager."
        ref = v["hr_reference"].strip()
        clean["employee_ref"] = ref
        if ref and "organisation_id" in clean:
            key = (clean["organisation_id"], ref)
            if key in seen_ref:
                errors["hr_reference"] = f"This HR reference is also on row {seen_ref[key]}: each person once."
            else:
                seen_ref[key] = result.line
                refs.add(key)
        for name in ("first_name", "last_name", "job_title"):
            clean[name] = v[name].strip()

    by_email, by_ref = _existing_people(emails_in_file, refs)
    managers = _manager_ids(manager_emails - emails_in_file)
    manager_of_id = {pk: email for email, pk in managers.items()}
    for existing in by_email.values():
        manager_of_id.setdefault(existing["pk"], existing["email"].lower())
    missing_manager_ids = {
        row["profile__line_manager_id"] for row in by_email.values() if row["profile__line_manager_id"]
    } - set(manager_of_id)
    for chunk in _chunks(sorted(missing_manager_ids)):
        for pk, email in User.objects.filter(pk__in=chunk).values_list("pk", "email"):
            manager_of_id[pk] = email.lower()

    for result in results:
        clean, errors = result.clean, result.errors
        manager = clean["line_manager_email"]
        if manager and "line_manager_email" not in errors and manager not in emails_in_file and manager not in managers:
            errors["line_manager_email"] = f"No one with the email “{manager}” is in this file or the portal."
        existing = by_email.get(clean["email"])
        if existing is None and clean["employee_ref"] and "organisation_id" in clean:
            existing = by_ref.get((clean["organisation_id"], clean["employee_ref"]))
            if existing is not None and clean["email"] in by_email:
                existing = None
        if (
            existing is not None
            and organisation is not None
            and existing["profile__organisation_id"] not in (None, organisation.pk)
        ):
            errors["email"] = "This person is in another organisation in the portal. Ask an administrator to move them."
        if errors:
            continue
        clean["existing_pk"] = existing["pk"] if existing else None
        if existing is None:
            result.outcome = "new"
            continue
        current = {
            "email": existing["email"].lower(),
            "first_name": existing["first_name"],
            "last_name": existing["last_name"],
            "employee_ref": existing["profile__employee_ref"] or "",
            "organisation_id": existing["profile__organisation_id"],
            "job_title": existing["profile__job_title"],
            "workforce": existing["profile__workforce"],
            "service_tier": existing["profile__service_tier"],
            "cts_band": existing["profile__cts_band"],
            "line_manager_email": manager_of_id.get(existing["profile__line_manager_id"], ""),
            "employment": existing["profile__employment"],
            "hours": existing["profile__hours"],
            "start_date": existing["profile__start_date"],
        }
        if existing["profile__pk"] is None:
            result.outcome = "updated"
            result.changes = ["profile"]
        else:
            result.changes = [COLUMN_OF.get(key, key) for key in current if current[key] != clean[key]]
            result.outcome = "updated" if result.changes else "unchanged"
    return results


# --- Writing ----------------------------------------------------------------------------------------


def staff_rows_for_export(users) -> Iterator[list[str]]:
    """The header, then one row per person, in the shape the import reads."""
    yield [heading for _name, heading in COLUMNS]
    rows = users.values_list(
        "email", "profile__employee_ref", "first_name", "last_name", "profile__organisation__name",
        "profile__job_title", "profile__workforce", "profile__service_tier", "profile__cts_band",
        "profile__line_manager__email", "profile__employment", "profile__hours", "profile__start_date",
    )  # fmt: skip
    for row in rows.iterator(chunk_size=2000):
        yield [_export_text(value) for value in row]
