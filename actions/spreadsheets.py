"""The plan as a spreadsheet: export (CSV, XLSX) and the import's parsing and checks. The export's columns
are the import's, so a file exported, edited and imported again updates the plan in place (docs/actions.md)."""

import csv
import io
from datetime import date

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import csv_bytes, xlsx_bytes
from core.uploads import xlsx_unpacked_bytes

from .models import CLOSED_STATUSES, Action, Status, StatusUpdate, Strategy
from .plan_import import mapping, reading, resolve
from .selectors import today
from .services import ActionFields, same_text

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
MAX_ROWS = reading.MAX_ROWS
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


def export_csv(*, strategy: Strategy) -> bytes:
    return csv_bytes(COLUMNS, export_rows(strategy=strategy))


WIDE_COLUMNS = ("Title", "Description", "Latest commentary", "Performance measures")


def export_xlsx(*, strategy: Strategy) -> bytes:
    """Dates are real date cells (shown yyyy-mm-dd), the header bold and frozen."""
    return xlsx_bytes(title="Actions", header=COLUMNS, rows=export_rows(strategy=strategy),
                      widths=[40 if name in WIDE_COLUMNS else 16 for name in COLUMNS])


# --- Import: read ---------------------------------------------------------------------------------


def read_rows(*, filename: str, content: bytes) -> list[dict]:
    """The file's data rows as {field: text} (headings mapped by plan_import.mapping), with "_row"."""
    if len(content) > MAX_BYTES:
        raise SpreadsheetError("The file is larger than 5 MB.")
    name = filename.lower()
    if name.endswith(".csv"):
        table = _read_csv(content)
    elif name.endswith(".xlsx"):
        table = _read_xlsx(content)
    elif name.endswith(".docx"):
        try:
            table = reading.docx_table(content)
        except reading.PlanFileError as exc:
            raise SpreadsheetError(str(exc)) from exc
    else:
        raise SpreadsheetError("Upload the plan as a Word .docx (its table), or as a .xlsx or .csv file.")
    if not table:
        raise SpreadsheetError("The file is empty.")
    columns = mapping.suggest([str(h or "").strip() for h in table[0]])
    missing = mapping.missing_fields(columns)
    if missing:
        raise SpreadsheetError(f"The first row must name the columns; missing: {', '.join(missing)}. "
                               "Name the column of actions \"Action\" or \"Title\".")
    try:
        return reading.row_dicts(table, columns)
    except reading.PlanFileError as exc:
        raise SpreadsheetError(str(exc)) from exc


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


# --- Import: check ---------------------------------------------------------------------------------


parse_date = resolve.parse_date


# The columns an import may leave out, and the field of the action each one writes. A column the file does not
# have leaves that field of existing actions as it is; a column that is there but empty clears it.
OPTIONAL_FIELDS = {
    "Description": "description", "Leads": "leads", "Leading group": "leading_body", "Start date": "start_date",
    "Due date": "due_date", "Timescale": "timescale", "Plan priorities": "priorities",
    "Performance measures": "performance_measures",
}


def _given(raw: dict, row: resolve.Row) -> frozenset[str]:
    given = {field for column, field in OPTIONAL_FIELDS.items() if column in raw}
    if "Timescale" in raw and not any(c in raw for c in resolve.DATE_COLUMNS):
        given |= {"start_date", "due_date"}  # the timescale was read into dates
    if row.description:
        given.add("description")
    if row.body is not None:
        given.add("leading_body")
    return frozenset(given)


def row_fields(raw: dict, row: resolve.Row) -> ActionFields:
    """A resolved row as the fields services write (the theme must exist: apply creates planned ones first)."""
    assert row.theme is not None
    return ActionFields(
        theme=row.theme, code=row.code, title=row.title, description=row.description, leads=row.leads,
        leading_body=row.body, start_date=row.start, due_date=row.due, timescale=raw.get("Timescale", ""),
        priorities=raw.get("Plan priorities", ""), performance_measures=raw.get("Performance measures", ""),
        external_leads=row.external if "Leads" in raw else None, given=_given(raw, row),
        status=row.status, commentary=row.commentary, milestones=row.milestones,
    )


def _resolve(*, strategy: Strategy, rows: list[dict]):
    """The rows checked (plan_import.resolve), each sound row as (number, fields), the errors, the actions."""
    checked, ctx = resolve.resolve(strategy=strategy, rows=rows)
    errors = [e for row in checked for e in row.errors]
    resolved = [(row.number, row_fields(raw, row)) for raw, row in zip(rows, checked, strict=True)
                if not row.errors and row.theme is not None]
    return resolved, errors, ctx.existing, checked


def planned_themes(*, strategy: Strategy, rows: list[dict]) -> list[str]:
    """Theme titles the file names that the strategy does not have yet: confirming creates them."""
    checked, _ = resolve.resolve(strategy=strategy, rows=rows)
    return list(dict.fromkeys(row.new_theme for row in checked if row.new_theme))


def resolve_rows(*, strategy: Strategy, rows: list[dict]) -> tuple[list[ActionFields], list[dict]]:
    """Check every row against the plan; the actions to write and every row error (not just the first)."""
    resolved, errors, _, _ = _resolve(strategy=strategy, rows=rows)
    return [fields for _, fields in resolved], errors


def _show(value) -> str:
    if value in (None, ""):
        return "(empty)"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    text = " ".join(str(value).split())
    return text if len(text) <= 60 else text[:59] + "…"


def _lead_list(people) -> str:
    return "; ".join(sorted(u.email for u in people))


def field_changes(action: Action, fields: ActionFields) -> list[tuple[str, str, str]]:
    """What writing these fields would change on an existing action: (column, old, new), as
    services.plan_import_apply will write them (the columns the file has; text stripped; line ends ignored)."""
    changes = []

    def compare(column, old, new, *, same=None):
        if not (same(old, new) if same else same_text(old, new)):
            changes.append((column, _show(old), _show(new)))

    compare("Action code", action.code, fields.code.strip())
    if action.theme_id != fields.theme.pk:
        changes.append(("Theme code", action.theme.code, fields.theme.code))
    compare("Title", action.title, fields.title.strip())
    for column, field in OPTIONAL_FIELDS.items():
        if not fields.gives(field):
            continue
        if field == "leads":
            old = list(action.leads.all())
            if {u.pk for u in old} != {u.pk for u in fields.leads}:
                changes.append((column, _lead_list(old) or "(none)", _lead_list(fields.leads) or "(none)"))
        elif field == "leading_body":
            compare(column, action.leading_body, fields.leading_body,
                    same=lambda a, b: getattr(a, "pk", None) == getattr(b, "pk", None))
        else:
            new = getattr(fields, field)
            compare(column, getattr(action, field), new.strip() if isinstance(new, str) else new)
    return changes


def _preview_row(raw: dict, row: resolve.Row, action: Action | None, fields: ActionFields | None) -> dict:
    changes = field_changes(action, fields) if action is not None and fields is not None else []
    if action is None:
        change = "create"
    elif fields is None:
        change = "update"  # a row with errors: what it would change is not worked out
    else:
        change = "update" if changes else "unchanged"
    return {
        "row": row.number, "theme_code": raw.get("Theme code", "") or getattr(row.theme, "code", ""),
        "new_theme": row.new_theme, "code": row.code, "title": row.title, "leads": raw.get("Leads", ""),
        "matches": resolve.lead_summary(row.matches), "due": raw.get("Due date", ""),
        "timescale": raw.get("Timescale", ""), "timescale_note": row.timescale_note,
        "status": row.status, "commentary": row.commentary, "warnings": row.warnings, "milestones": row.milestones,
        "errors": row.errors, "change": change, "changes": changes,
    }


def preview(*, strategy: Strategy, rows: list[dict]) -> list[dict]:
    """For the preview table: each row with what will happen to it ("create", "update" with its changes, or
    "unchanged"), how its timescale and leads were read, and its errors and warnings."""
    resolved, _, existing, checked = _resolve(strategy=strategy, rows=rows)
    fields_of_row = dict(resolved)
    return [
        _preview_row(raw, row, existing.get(row.code.lower()), fields_of_row.get(row.number))
        for raw, row in zip(rows, checked, strict=True)
    ]
