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
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone

from core.exports import csv_lines
from core.roles import Role
from core.uploads import cell_text, xlsx_unpacked_bytes
from partners.models import Organisation

from .models import CTS_BANDS, DesignatedRole, StaffProfile, User

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
# What the preview calls each column when it says what a row changes.
COLUMN_LABELS = {
    "email": "Email", "hr_reference": "HR reference", "first_name": "First name", "last_name": "Last name",
    "organisation": "Organisation", "job_title": "Job title", "workforce": "Core or wider workforce",
    "service_tier": "Service tier", "cts_band": "Band", "line_manager_email": "Line manager",
    "employment": "Paid or volunteer", "hours": "Full or part time", "start_date": "Start date",
}
REQUIRED = ["email", "first_name", "last_name", "organisation", "job_title", "cts_band"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]
CHUNK = 500  # keeps IN (...) lists under every database's parameter limit


class StaffFileError(Exception):
    """The file as a whole cannot be read (wrong type, too big, no header, missing columns)."""


def _shown(value, key: str, organisation_names: dict) -> str:
    """A value as the preview shows it in "what changes"."""
    if value in (None, ""):
        return "(empty)"
    if key == "organisation_id":
        return organisation_names.get(value, str(value))
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return str(value)


@dataclass
class RowResult:
    line: int  # the row's line in the file (the header is line 1)
    values: dict  # the row as read, normalised to strings
    outcome: str = ""  # new, updated, unchanged; empty when the row has errors
    errors: dict = field(default_factory=dict)  # column -> message
    clean: dict = field(default_factory=dict)  # typed values ready to save
    changes: list = field(default_factory=list)  # for an updated person: the columns that change
    change_notes: list = field(default_factory=list)  # and, in words, each change: "Band: 3 → 4"
    ends_roles: list = field(default_factory=list)  # for a person who moves: the designated roles that end
    existing: dict | None = None  # while checking: the person in the portal the row is about, if any

    def as_json(self) -> dict:
        data = {"line": self.line, "values": self.values, "outcome": self.outcome, "changes": self.changes,
                "change_notes": self.change_notes}
        if self.ends_roles:
            data["ends_roles"] = self.ends_roles
        return data


# --- Reading ----------------------------------------------------------------------------------------


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


SAVE_AS_CSV_UTF8 = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” or as .xlsx, and try again."


def _csv_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" (and some HR systems): UTF-16 with a byte-order mark, usually tab-separated.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise StaffFileError("This file's text could not be read. " + SAVE_AS_CSV_UTF8) from exc
        if "\x00" in text:
            raise StaffFileError("This file is not a CSV file: it looks like a binary file. " + SAVE_AS_CSV_UTF8)
        return text
    if b"\x00" in data:  # no text file holds one, and the database cannot store one
        raise StaffFileError(
            "This file is not a CSV file: it looks like a binary file, or text saved as UTF-16 (Excel's "
            "“Unicode text”) without its byte-order mark. " + SAVE_AS_CSV_UTF8
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise StaffFileError(  # pragma: no cover - cp1252 decodes almost anything
        "This file's text could not be read. " + SAVE_AS_CSV_UTF8
    )


def _csv_rows(data: bytes) -> tuple[str, Iterator[list[str]]]:
    """The file's delimiter, and its rows as lists of cells."""
    text = _csv_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel

    def rows():
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            yield from reader
        except csv.Error as exc:
            raise StaffFileError(
                f"Line {reader.line_num} of the file cannot be read as CSV: a cell is far too long, or a quote or "
                "line break is out of place. Save the file as CSV (UTF-8) from your spreadsheet and try again."
            ) from exc

    return dialect.delimiter, rows()


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
            yield list(row)  # values as openpyxl gives them: read_staff_file makes them text
    except Exception as exc:  # read-only workbooks are parsed as they are read: damage shows up here
        raise StaffFileError(XLSX_UNREADABLE) from exc
    finally:
        workbook.close()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _row_shape_problem(raw: list, header: list, width: int, delimiter: str) -> tuple[str, str] | None:
    """(column, message) when a CSV row is not the shape of the header: a quote that is never closed swallows
    the rest of the row (and maybe the next lines) into one cell, so the other cells go missing or shift.
    `width`: the number of columns the header row names."""
    name = DELIMITER_NAMES.get(delimiter, f"“{delimiter}”")
    for index, cell in enumerate(raw[:width]):
        if "\n" in cell.strip() or "\r" in cell.strip():
            return (header[index] or ROW, "A quote (\") in this cell is never closed, so the cell runs on over the "
                    "next line of the file. Remove the quote, or close it at the end of the cell.")
    extra = [cell for cell in raw[width:] if cell.strip()]
    if len(raw) >= width and not extra:
        return None
    if len(raw) < width:
        for index, cell in enumerate(raw):
            if delimiter in cell:
                return (header[index] or ROW, f"A quote (\") in this cell is never closed, so the {name}s after it "
                        "were read as part of this cell and the rest of the row is missing. Remove the quote, or "
                        "close it at the end of the cell.")
    cells = len(raw) if not extra else width + len(extra)
    return (ROW, f"This row has {cells} cells but the header row names {width} columns: a cell is missing, or a "
            f"{name} or quote is out of place. Each row needs one cell for each column.")


ROW = "row"  # the key of a problem with the row as a whole rather than one of its cells
ROW_PROBLEM = "_row_problem"  # read_staff_file puts (column, message) here when the row's cells are out of shape


def read_staff_file(*, name: str, data: bytes) -> list[tuple[int, dict]]:
    """The file's data rows as (line number, {column: text}). Raises StaffFileError for a file that is not
    CSV/XLSX, is too big, is empty, has no header row, names a column twice or lacks a required column. A row
    whose cells do not line up with the header (a quote never closed, a cell too many) carries
    (column, message) under ROW_PROBLEM for check_staff_rows to report."""
    lower = (name or "").lower()
    if not lower.endswith(ALLOWED_EXTENSIONS):
        raise StaffFileError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise StaffFileError(f"The file is larger than {limit} MB. Split it and import each part.")
    if not data.strip():
        raise StaffFileError("The file is empty.")
    delimiter, rows = (None, _xlsx_rows(data)) if lower.endswith(".xlsx") else _csv_rows(data)

    header: list[str | None] | None = None
    result = []
    line = 0
    for raw in rows:
        line += 1
        cells = [cell_text(cell) for cell in raw]
        if not any(cells):
            continue
        if header is None:
            header = [HEADINGS.get(_heading_key(cell)) for cell in cells]
            width = max(index for index, cell in enumerate(cells) if cell) + 1
            if not any(header):
                raise StaffFileError(
                    "The file has no header row. Its first row must name the columns: " + ", ".join(COLUMN_NAMES) + "."
                )
            for column in dict.fromkeys(filter(None, header)):
                places = [index for index, name in enumerate(header) if name == column]
                if len(places) > 1:
                    where = " and ".join(f"{_column_letter(i)} (“{cells[i]}”)" for i in places)
                    raise StaffFileError(
                        f"The file has more than one {column} column: columns {where}. Keep one of them and "
                        "upload the file again."
                    )
            missing = [name for name in REQUIRED if name not in header]
            if missing:
                raise StaffFileError("The file has no column for: " + ", ".join(missing) + ".")
            continue
        values = {name: "" for name in COLUMN_NAMES}
        for column, cell in zip(header, cells, strict=False):
            if column:
                values[column] = cell
        problem = _row_shape_problem(raw, header, width, delimiter) if delimiter else None
        if problem:
            values[ROW_PROBLEM] = problem
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
        "pk", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "profile__employee_ref",
        "profile__organisation_id", "profile__job_title", "profile__workforce", "profile__service_tier",
        "profile__cts_band", "profile__line_manager_id", "profile__employment", "profile__hours",
        "profile__start_date", "profile__pk",
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


class _Manager(NamedTuple):
    pk: int
    active: bool  # a leaver's account is closed
    organisation_id: int | None


def _managers(emails: set[str]) -> dict[str, _Manager]:
    """People named as line managers, by lower-cased email. Leavers too: someone already managed by a leaver may
    keep them (the export writes them), a new link may not."""
    found = {}
    for chunk in _chunks(sorted(emails)):
        for pk, email, active, org_id in User.objects.filter(email__in=chunk).values_list(
                "pk", "email", "is_active", "profile__organisation_id"):  # fmt: skip
            found[email.lower()] = _Manager(pk, active, org_id)
    return found


# A lead's import may change the email address (the sign-in) only of accounts that hold nothing but these roles:
# anyone else's account is the administrators' to change, or a lead could take it over by a password reset.
LEAD_MAY_CHANGE_EMAIL_OF = {Role.PRACTITIONER.value, Role.LINE_MANAGER.value}


def _accounts_administrators_manage(pks: set[int]) -> set[int]:
    """Of these accounts, those holding a role other than Practitioner or Line manager."""
    found = set()
    through = User.groups.through.objects
    for chunk in _chunks(sorted(pks)):
        found |= set(
            through.filter(user_id__in=chunk).exclude(group__name__in=LEAD_MAY_CHANGE_EMAIL_OF)
            .values_list("user_id", flat=True)
        )  # fmt: skip
    return found


PRIVILEGED_ACCOUNT = (
    "This is an account only administrators change (an administrator, a training coordinator or someone who "
    "signs in with two-factor): the import cannot change it. Take the row out of the file or ask an administrator."
)


def _refuse_privileged_changes(results: list) -> None:
    """A lead's file may change nothing of a privileged account (workforce.permissions.privileged_account_ids);
    an unchanged row (a re-imported export) stays harmless."""
    from .permissions import privileged_account_ids

    updated = {r.existing["pk"]: r for r in results if r.outcome == "updated"}
    for pk in privileged_account_ids(updated):
        result = updated[pk]
        result.errors["email"] = PRIVILEGED_ACCOUNT
        result.outcome, result.changes, result.change_notes = "", [], []


def _manager_loops(results: list[RowResult], managers: dict[str, _Manager]) -> dict[str, list[str]]:
    """People (by email) whose chain of line managers comes back to them, once the file is applied: the file's
    rows say who manages whom, the portal says it for people outside the file. Each with the loop, from them."""
    edges: dict[str, str | None] = {}
    node_of_pk: dict[int, str] = {}
    for result in results:
        email = result.clean.get("email")
        if email and "email" not in result.errors:
            edges[email] = result.clean.get("line_manager_email") or None
            if result.existing is not None:
                node_of_pk[result.existing["pk"]] = email
    pk_of = {email: manager.pk for email, manager in managers.items()}
    frontier = {manager for manager in edges.values() if manager and manager not in edges}
    while frontier:  # walk up from the file into the portal, one query a level
        ids = {pk_of[email]: email for email in frontier if email in pk_of}
        for email in frontier:
            edges[email] = None
        frontier = set()
        for chunk in _chunks(sorted(ids)):
            rows = StaffProfile.objects.filter(user_id__in=chunk, line_manager__isnull=False).values_list(
                "user_id", "line_manager_id", "line_manager__email"
            )
            for user_id, manager_id, manager_email in rows:
                node = node_of_pk.get(manager_id) or manager_email.lower()
                edges[ids[user_id]] = node
                if node not in edges:
                    frontier.add(node)
                    pk_of[node] = manager_id

    walked: dict[str, str] = {}
    loops: dict[str, list[str]] = {}
    for start in edges:
        path, node = [], start
        while node is not None and node not in walked:
            walked[node] = start
            path.append(node)
            node = edges.get(node)
        if node is not None and walked[node] == start:  # this walk came back to itself
            loop = path[path.index(node):]
            if len(loop) > 1:  # someone as their own manager has a message of its own
                for index, email in enumerate(loop):
                    loops[email] = loop[index:] + loop[:index]
    return loops


def _loop_text(loop: list[str], most: int = 6) -> str:
    shown = loop if len(loop) <= most else [*loop[:most], "…"]
    return " → ".join([*shown, loop[0]])


def _roles_held_for(people: dict[int, int], *, on: date) -> dict[int, list[tuple[int, str]]]:
    """people: {person id: organisation id}. The designated roles each holds for that organisation that have
    not ended by `on` (current or still to start), as (role id, "Kind in Organisation")."""
    found: dict[int, list[tuple[int, str]]] = {}
    for chunk in _chunks(sorted(people)):
        rows = (
            DesignatedRole.objects.filter(person_id__in=chunk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .values_list("pk", "person_id", "organisation_id", "kind", "organisation__name")
            .order_by("person_id", "kind", "pk")
        )
        for pk, person_id, organisation_id, kind, organisation_name in rows:
            if people[person_id] == organisation_id:
                label = f"{DesignatedRole.Kind(kind).label} in {organisation_name}"
                found.setdefault(person_id, []).append((pk, label))
    return found


# Sizes the database keeps: a longer cell is refused in the preview, not a 500 (PostgreSQL) or stored (SQLite).
MAX_LENGTHS = {
    "email": User._meta.get_field("email").max_length,
    "first_name": User._meta.get_field("first_name").max_length,
    "last_name": User._meta.get_field("last_name").max_length,
    "job_title": StaffProfile._meta.get_field("job_title").max_length,
    "hr_reference": StaffProfile._meta.get_field("employee_ref").max_length,
}
EARLIEST_START = date(1900, 1, 1)
ADMINISTRATORS_MANAGE = (
    "This email address has an account the portal's administrators manage, outside {organisation}. Ask an "
    "administrator to add the person to {organisation}."
)


def check_staff_rows(
    rows: list[tuple[int, dict]], *, organisation: Organisation | None, on: date | None = None
) -> list[RowResult]:
    """Check every row against the file and the portal. `organisation`: the lead's organisation, when a lead
    imports (every row must be in it); None when an administrator imports (any organisation). `on`: today."""
    on = on or timezone.localdate()
    latest_start = on + timedelta(days=365)
    organisations = {}
    for org in Organisation.objects.only("pk", "name", "slug", "is_active").order_by("is_active", "pk"):
        organisations[org.name.strip().lower()] = org  # active ones last: they win a clash of names
        organisations[org.slug] = org
    organisation_names = {org.pk: org.name for org in organisations.values()}

    results = [RowResult(line=line, values=values) for line, values in rows]
    emails_in_file = {r.values["email"].strip().lower() for r in results if r.values["email"]}
    manager_emails = {r.values["line_manager_email"].strip().lower() for r in results if r.values["line_manager_email"]}
    refs = set()
    seen_email: dict[str, int] = {}
    seen_ref: dict[tuple, int] = {}
    out_of_shape = set()

    for result in results:
        v, errors, clean = result.values, result.errors, result.clean
        problem = v.pop(ROW_PROBLEM, None)
        if problem:  # the cells are not where the header says: checking them would blame the wrong columns
            column, message = problem
            errors[column] = message
            out_of_shape.add(result.line)
            continue
        for name in REQUIRED:
            if not v[name].strip():
                errors[name] = "This column is empty, and every person needs it."
        for name, limit in MAX_LENGTHS.items():
            length = len(v[name].strip())
            if length > limit and name not in errors:
                errors[name] = f"This is {length} characters long; the portal keeps at most {limit}. Shorten it."
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
                if not org.is_active:
                    clean["inactive_organisation"] = org.name  # only those already in it may stay (below)
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
            elif parsed < EARLIEST_START:
                errors["start_date"] = f"“{start}” is before 1900. Check the year."
            elif parsed > latest_start:
                errors["start_date"] = (
                    f"“{start}” is more than a year from now ({latest_start:%d/%m/%Y} at the latest). Check the year."
                )
            else:
                clean["start_date"] = parsed
        manager = v["line_manager_email"].strip().lower()
        clean["line_manager_email"] = manager
        if manager and manager == email:
            errors["line_manager_email"] = "A person cannot be their own line manager."
        ref = v["hr_reference"].strip()
        clean["employee_ref"] = ref
        if ref and "organisation_id" in clean and "hr_reference" not in errors:
            key = (clean["organisation_id"], ref)
            if key in seen_ref:
                errors["hr_reference"] = f"This HR reference is also on row {seen_ref[key]}: each person once."
            else:
                seen_ref[key] = result.line
                refs.add(key)
        for name in ("first_name", "last_name", "job_title"):
            clean[name] = v[name].strip()

    by_email, by_ref = _existing_people(emails_in_file, refs)
    managers = _managers(manager_emails - emails_in_file)
    manager_of_id = {manager.pk: email for email, manager in managers.items()}
    for existing in by_email.values():
        manager_of_id.setdefault(existing["pk"], existing["email"].lower())
    missing_manager_ids = {
        row["profile__line_manager_id"] for row in [*by_email.values(), *by_ref.values()]
        if row["profile__line_manager_id"]
    } - set(manager_of_id)  # fmt: skip
    for chunk in _chunks(sorted(missing_manager_ids)):
        for pk, email in User.objects.filter(pk__in=chunk).values_list("pk", "email"):
            manager_of_id[pk] = email.lower()

    # Who each row is: by email, otherwise by HR reference within the row's organisation.
    for result in results:
        if result.line in out_of_shape:
            continue
        clean = result.clean
        existing = by_email.get(clean["email"])
        if existing is None and clean["employee_ref"] and "organisation_id" in clean:
            existing = by_ref.get((clean["organisation_id"], clean["employee_ref"]))
        result.existing = existing

    # A lead's file may not change the sign-in of an account the administrators manage.
    email_changes = {
        r.existing["pk"] for r in results if r.existing is not None and r.clean["email"] != r.existing["email"].lower()
    }  # fmt: skip
    managed_by_administrators = set()
    if organisation is not None and email_changes:
        managed_by_administrators = _accounts_administrators_manage(email_changes)
        managed_by_administrators |= {
            r.existing["pk"] for r in results
            if r.existing is not None and (r.existing["is_staff"] or r.existing["is_superuser"])
        }  # fmt: skip

    for email, loop in _manager_loops([r for r in results if r.line not in out_of_shape], managers).items():
        for result in results:
            if result.clean.get("email") == email and "line_manager_email" not in result.errors:
                result.errors["line_manager_email"] = (
                    f"Line managers would go round in a loop: {_loop_text(loop)}. Give someone in the loop a line "
                    "manager outside it, or none."
                )

    for result in results:
        if result.line in out_of_shape:
            continue
        clean, errors, existing = result.clean, result.errors, result.existing
        if existing is not None and "email" not in errors:
            name = f"{existing['first_name']} {existing['last_name']}".strip() or existing["email"]
            if not existing["is_active"]:
                errors["email"] = (
                    f"{name} has left: their account is closed, so the import cannot change them. Ask an "
                    "administrator to reinstate the account first, or take the row out of the file."
                )
            elif organisation is not None:
                if existing["profile__pk"] is None or existing["profile__organisation_id"] is None:
                    errors["email"] = ADMINISTRATORS_MANAGE.format(organisation=organisation.name)
                elif existing["profile__organisation_id"] != organisation.pk:
                    errors["email"] = (
                        "This person is in another organisation in the portal. Ask an administrator to move them."
                    )
                elif existing["pk"] in managed_by_administrators and clean["email"] != existing["email"].lower():
                    errors["email"] = (
                        f"The person with HR reference {clean['employee_ref']} has an account the portal's "
                        "administrators manage, so an import cannot change its email address. Ask an administrator."
                    )
        joins_inactive = existing is None or existing["profile__organisation_id"] != clean.get("organisation_id")
        if "inactive_organisation" in clean and "organisation" not in errors and joins_inactive:
            errors["organisation"] = (
                f"{clean['inactive_organisation']} is no longer active in the partnership, so no one can join it. "
                "Only the people already in it can stay."
            )
        manager = clean["line_manager_email"]
        if manager and "line_manager_email" not in errors and manager not in emails_in_file:
            found = managers.get(manager)
            keeps = existing is not None and found is not None and existing["profile__line_manager_id"] == found.pk
            elsewhere = organisation is not None and found is not None and found.organisation_id != organisation.pk
            if elsewhere and not keeps:
                # A lead names line managers from their own organisation (or the file), as on the profile form;
                # the same words whether or not the address has an account elsewhere.
                found = None
            if found is None:
                where = "the portal" if organisation is None else organisation.name
                errors["line_manager_email"] = f"No one with the email “{manager}” is in this file or {where}."
            elif not found.active and (existing is None or existing["profile__line_manager_id"] != found.pk):
                errors["line_manager_email"] = (
                    f"“{manager}” has left: their account is closed. Choose a current line manager, or leave the "
                    "cell empty."
                )
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
            result.change_notes = ["A staff profile"]
        else:
            changed = [key for key in current if current[key] != clean[key]]
            result.changes = [COLUMN_OF.get(key, key) for key in changed]
            result.change_notes = [
                f"{COLUMN_LABELS[COLUMN_OF.get(key, key)]}: {_shown(current[key], key, organisation_names)} → "
                f"{_shown(clean[key], key, organisation_names)}"
                for key in changed
            ]
            result.outcome = "updated" if result.changes else "unchanged"

    if organisation is not None:
        _refuse_privileged_changes(results)

    # Someone moved to another organisation stops holding the designated roles they held for the old one.
    moved = {
        r.existing["pk"]: r.existing["profile__organisation_id"] for r in results
        if r.outcome == "updated" and r.existing["profile__organisation_id"] is not None
        and r.existing["profile__organisation_id"] != r.clean["organisation_id"]
    }  # fmt: skip
    if moved:
        held = _roles_held_for(moved, on=on)
        for result in results:
            roles = held.get(result.clean.get("existing_pk"), []) if result.outcome == "updated" else []
            if roles:
                result.clean["roles_to_end"] = [pk for pk, _label in roles]
                result.ends_roles = [label for _pk, label in roles]
    for result in results:
        result.existing = None  # done with: 25,000 of them would hold tens of MB through the confirm's writes
    return results


# --- Writing ----------------------------------------------------------------------------------------


def staff_export_lines(users) -> Iterator[str]:
    """The staff file, line by line (core.exports): the header, then one row per person, in the shape the
    import reads."""
    rows = users.values_list(
        "email", "profile__employee_ref", "first_name", "last_name", "profile__organisation__name",
        "profile__job_title", "profile__workforce", "profile__service_tier", "profile__cts_band",
        "profile__line_manager__email", "profile__employment", "profile__hours", "profile__start_date",
    )  # fmt: skip
    return csv_lines([heading for _name, heading in COLUMNS], rows.iterator(chunk_size=2000), bom=False)
