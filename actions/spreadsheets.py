"""The plan as a spreadsheet: export (CSV, XLSX) and the parsing and checking of an import.

One row per action. The export's columns are the import's columns: a file exported, edited and imported
again updates the plan in place (actions are matched by code within the strategy). Columns the import
does not read (status, percent, latest commentary, overdue, lead names, theme title) are there for
readers: status only ever changes through dated status updates.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from partners.models import GovernanceBody
from workforce.uploads import xlsx_unpacked_bytes

from .models import CLOSED_STATUSES, Action, Status, StatusUpdate, Strategy
from .selectors import today
from .services import ActionFields

User = get_user_model()

COLUMNS = [
    "Theme code",
    "Theme",
    "Action code",
    "Title",
    "Description",
    "Leads",
    "Lead names",
    "Leading group",
    "Start date",
    "Due date",
    "Timescale",
    "Plan priorities",
    "Performance measures",
    "Status",
    "Percent complete",
    "Overdue",
    "Last updated",
    "Latest commentary",
]
REQUIRED = ["Theme code", "Action code", "Title"]
DATE_COLUMNS = ["Start date", "Due date"]
MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # 2,000 actions unpack to a few MB; more is a zip bomb


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too big)."""


# --- Export ----------------------------------------------------------------------------------------


def export_rows(*, strategy: Strategy) -> list[list]:
    """One row per action with its latest status, in plan order. Two queries whatever the size; plain values
    rather than model instances, so 10,000 actions export in about a second."""
    latest_commentary = (
        StatusUpdate.objects.filter(action_id=OuterRef("pk")).order_by("-created_at", "-id").values("commentary")[:1]
    )
    actions = (
        Action.objects.filter(strategy=strategy)
        .annotate(latest_commentary=Subquery(latest_commentary))
        .order_by("theme__order", "theme__code", "sort_key")
        .values_list(
            "pk", "theme__code", "theme__title", "code", "title", "description", "leading_body__name", "start_date",
            "due_date", "timescale", "priorities", "performance_measures", "current_status", "percent_complete",
            "status_updated_at", "latest_commentary",
        )
    )
    leads: dict[int, list[tuple[str, str]]] = {}
    for action_id, email, first, last in (
        Action.leads.through.objects.filter(action__strategy=strategy)
        .order_by("user__last_name", "user__first_name", "user__email")
        .values_list("action_id", "user__email", "user__first_name", "user__last_name")
    ):
        leads.setdefault(action_id, []).append((email, f"{first} {last}".strip() or email))
    labels = dict(Status.choices)
    day = today()
    rows = []
    for (pk, theme_code, theme_title, code, title, description, body, start, due, timescale, priorities, measures,
         status, percent, updated_at, commentary) in actions:
        people = leads.get(pk, [])
        rows.append([
            theme_code,
            theme_title,
            code,
            title,
            description,
            "; ".join(email for email, _ in people),
            "; ".join(name for _, name in people),
            body or "",
            start,
            due,
            timescale,
            priorities,
            measures,
            labels[status],
            percent,
            "Yes" if due is not None and due < day and status not in CLOSED_STATUSES else "No",
            timezone.localtime(updated_at).date() if updated_at else None,
            commentary or "",
        ])
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text that a spreadsheet would run as a formula ("=HYPERLINK(...)") is written with a leading
    apostrophe, which spreadsheets show as text; the import strips it again (`_text`)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(*, strategy: Strategy) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in export_rows(strategy=strategy):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else _cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel open it as UTF-8


def export_xlsx(*, strategy: Strategy) -> bytes:
    """Write-only (streaming) workbook: dates are real date cells (shown yyyy-mm-dd), the header bold and frozen."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Actions")
    for index, name in enumerate(COLUMNS, start=1):
        wide = name in ("Title", "Description", "Latest commentary", "Performance measures")
        sheet.column_dimensions[get_column_letter(index)].width = 40 if wide else 16
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in export_rows(strategy=strategy):
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Import: read ---------------------------------------------------------------------------------


def read_rows(*, filename: str, content: bytes) -> list[dict]:
    """The file's data rows as {column: text}, each with its spreadsheet row number under "_row"."""
    if len(content) > MAX_BYTES:
        raise SpreadsheetError("The file is larger than 5 MB.")
    name = filename.lower()
    if name.endswith(".csv"):
        table = _read_csv(content)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(content)
    else:
        raise SpreadsheetError("Upload the plan as a .xlsx or .csv file (the shape the export gives you).")
    if not table:
        raise SpreadsheetError("The file is empty.")
    header = [str(h or "").strip() for h in table[0]]
    known = {c.lower(): c for c in COLUMNS}
    columns = [known.get(h.lower()) for h in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SpreadsheetError(f"The first row must name the columns; missing: {', '.join(missing)}.")
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if all(_text(v) == "" for v in values):
            continue
        row = {"_row": number}
        for column, value in zip(columns, values, strict=False):
            if column:
                row[column] = _text(value)
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(f"The file has {len(rows)} actions; import at most {MAX_ROWS} at a time.")
    if not rows:
        raise SpreadsheetError("The file has a header but no actions.")
    return rows


def _read_csv(content: bytes) -> list[list]:
    if b"\x00" in content:  # no text file holds one, and the database cannot store one
        raise SpreadsheetError("This file is not a CSV file: it looks like a binary file. Save it as .csv or .xlsx.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as exc:
        raise SpreadsheetError(
            f"Line {reader.line_num} of the file cannot be read as CSV: a cell is far too long, or a quote or line "
            "break is out of place. Save the file as CSV (UTF-8) from your spreadsheet and try again."
        ) from exc


XLSX_UNREADABLE = "The file could not be read as an Excel workbook (.xlsx)."


def _read_xlsx(content: bytes) -> list[list]:
    if xlsx_unpacked_bytes(content) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(f"This workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB, far "
                               "more than a plan needs. Save it as .csv and try again.")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged or disguised file
        raise SpreadsheetError(XLSX_UNREADABLE) from exc
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    except Exception as exc:  # read-only workbooks are parsed as they are read: damage shows up here
        raise SpreadsheetError(XLSX_UNREADABLE) from exc
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # written as text by our export (see _cell)
    return text


# --- Import: check ---------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def parse_date(text: str) -> date | None:
    """"2026-03-31" or "31/03/2026"; blank is no date. Anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def split_leads(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace(",", ";").split(";") if part.strip()]


def resolve_rows(*, strategy: Strategy, rows: list[dict]) -> tuple[list[ActionFields], list[dict]]:
    """Check every row against the plan; return the actions to write and every row error (not just the first).

    Row errors: a missing required value, an unknown theme, an unknown lead, a bad date, a due date
    before the start, and an action code used twice in the file.
    """
    themes = {t.code.lower(): t for t in strategy.themes.all()}
    emails = {e for row in rows for e in split_leads(row.get("Leads", ""))}
    people = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}
    bodies = {b.name.lower(): b for b in GovernanceBody.objects.all()}
    errors: list[RowError] = []
    resolved: list[ActionFields] = []
    seen_codes: dict[str, int] = {}
    for row in rows:
        number = row["_row"]
        row_errors: list[RowError] = []
        for column in REQUIRED:
            if not row.get(column, "").strip():
                row_errors.append(RowError(number, column, f"{column} is missing."))
        code = row.get("Action code", "").strip()
        if code:
            if code.lower() in seen_codes:
                row_errors.append(RowError(number, "Action code",
                                           f"Duplicate action code {code} (also on row {seen_codes[code.lower()]})."))
            else:
                seen_codes[code.lower()] = number
        theme_code = row.get("Theme code", "").strip()
        theme = themes.get(theme_code.lower())
        if theme_code and theme is None:
            row_errors.append(RowError(number, "Theme code",
                                       f"Unknown theme {theme_code}: this strategy's themes are "
                                       f"{', '.join(t.code for t in themes.values()) or 'not set up yet'}."))
        leads = []
        for email in split_leads(row.get("Leads", "")):
            person = people.get(email)
            if person is None:
                row_errors.append(RowError(number, "Leads",
                                           f"Unknown lead {email}: give the email address of a person in the portal."))
            else:
                leads.append(person)
        body_name = row.get("Leading group", "").strip()
        body = bodies.get(body_name.lower()) if body_name else None
        if body_name and body is None:
            row_errors.append(RowError(number, "Leading group",
                                       f"Unknown group {body_name}: give the name of a governance body, e.g. "
                                       f"{', '.join(b.name for b in list(bodies.values())[:2]) or 'none set up'}."))
        dates = {}
        for column in DATE_COLUMNS:
            try:
                dates[column] = parse_date(row.get(column, ""))
            except ValueError:
                row_errors.append(RowError(number, column,
                                           f"Bad date {row.get(column)!r}: write it as 2026-03-31 or 31/03/2026."))
        if dates.get("Start date") and dates.get("Due date") and dates["Due date"] < dates["Start date"]:
            row_errors.append(RowError(number, "Due date", "The due date is before the start date."))
        for column, limit in (("Action code", 20), ("Title", 300), ("Timescale", 200), ("Plan priorities", 100)):
            if len(row.get(column, "")) > limit:
                row_errors.append(RowError(number, column, f"{column} is longer than {limit} characters."))
        if row_errors:
            errors.extend(row_errors)
            continue
        resolved.append(ActionFields(
            theme=theme,
            code=code,
            title=row.get("Title", ""),
            description=row.get("Description", ""),
            leads=leads,
            leading_body=body,
            start_date=dates.get("Start date"),
            due_date=dates.get("Due date"),
            timescale=row.get("Timescale", ""),
            priorities=row.get("Plan priorities", ""),
            performance_measures=row.get("Performance measures", ""),
        ))
    return resolved, [e.as_dict() for e in errors]


def preview(*, strategy: Strategy, rows: list[dict]) -> list[dict]:
    """For the preview table: each row with what will happen to it (create or update) and its errors."""
    _, errors = resolve_rows(strategy=strategy, rows=rows)
    by_row: dict[int, list[dict]] = {}
    for error in errors:
        by_row.setdefault(error["row"], []).append(error)
    existing = {c.lower() for c in Action.objects.filter(strategy=strategy).values_list("code", flat=True)}
    return [
        {
            "row": row["_row"],
            "theme_code": row.get("Theme code", ""),
            "code": row.get("Action code", ""),
            "title": row.get("Title", ""),
            "leads": row.get("Leads", ""),
            "due": row.get("Due date", ""),
            "errors": by_row.get(row["_row"], []),
            "change": "update" if row.get("Action code", "").strip().lower() in existing else "create",
        }
        for row in rows
    ]
