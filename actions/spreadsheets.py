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
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import csv_bytes, xlsx_bytes
from core.uploads import cell_text, xlsx_unpacked_bytes
from partners.models import GovernanceBody

from .models import CLOSED_STATUSES, Action, Status, StatusUpdate, Strategy
from .selectors import today
from .services import ActionFields, group_has_ended, lead_has_left, same_text

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


def export_csv(*, strategy: Strategy) -> bytes:
    return csv_bytes(COLUMNS, export_rows(strategy=strategy))


WIDE_COLUMNS = ("Title", "Description", "Latest commentary", "Performance measures")


def export_xlsx(*, strategy: Strategy) -> bytes:
    """Dates are real date cells (shown yyyy-mm-dd), the header bold and frozen."""
    return xlsx_bytes(title="Actions", header=COLUMNS, rows=export_rows(strategy=strategy),
                      widths=[40 if name in WIDE_COLUMNS else 16 for name in COLUMNS])


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
        if all(cell_text(v) == "" for v in values):
            continue
        # Every column the file has is in every row ("" for an empty or missing cell); a column the file does not
        # have is in no row, and the import leaves that field of existing actions alone.
        row = {"_row": number}
        for index, column in enumerate(columns):
            if column:
                row[column] = cell_text(values[index]) if index < len(values) else ""
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


# The columns an import may leave out, and the field of the action each one writes. A column the file does not
# have leaves that field of existing actions as it is; a column that is there but empty clears it.
OPTIONAL_FIELDS = {
    "Description": "description", "Leads": "leads", "Leading group": "leading_body", "Start date": "start_date",
    "Due date": "due_date", "Timescale": "timescale", "Plan priorities": "priorities",
    "Performance measures": "performance_measures",
}


def _existing_actions(*, strategy: Strategy, rows: list[dict]) -> dict[str, Action]:
    """The strategy's actions whose codes the file names, by lower-case code, with theme, group and leads."""
    codes = {row.get("Action code", "").strip().lower() for row in rows} - {""}
    actions = (
        Action.objects.filter(strategy=strategy)
        .annotate(code_lower=Lower("code"))
        .filter(code_lower__in=codes)
        .select_related("theme", "leading_body")
        .prefetch_related(Prefetch("leads", queryset=User.objects.only("id", "email", "first_name", "last_name",
                                                                        "is_active")))
    )
    return {action.code_lower: action for action in actions}


def _resolve(*, strategy: Strategy, rows: list[dict]):
    """resolve_rows, keeping each resolved row's number and the existing actions (for the preview)."""
    themes = {t.code.lower(): t for t in strategy.themes.all()}
    emails = {e for row in rows for e in split_leads(row.get("Leads", ""))}
    people = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    bodies = {b.name.lower(): b for b in GovernanceBody.objects.all()}
    existing = _existing_actions(strategy=strategy, rows=rows)
    day = today()
    errors: list[RowError] = []
    resolved: list[tuple[int, ActionFields]] = []
    seen_codes: dict[str, int] = {}
    for row in rows:
        number = row["_row"]
        row_errors: list[RowError] = []
        for column in REQUIRED:
            if not row.get(column, "").strip():
                row_errors.append(RowError(number, column, f"{column} is missing."))
        code = row.get("Action code", "").strip()
        action = existing.get(code.lower())
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
        current_leads = {u.pk for u in action.leads.all()} if action else set()
        for email in split_leads(row.get("Leads", "")):
            person = people.get(email)
            if person is None:
                row_errors.append(RowError(number, "Leads",
                                           f"Unknown lead {email}: give the email address of a person in the portal."))
            elif lead_has_left(person) and person.pk not in current_leads:
                # A leaver stays on the actions they already lead (so an export imports again), but is not named anew.
                row_errors.append(RowError(number, "Leads", f"{person} ({email}) has left the partnership: name "
                                                            "someone else as lead."))
            else:
                leads.append(person)
        body_name = row.get("Leading group", "").strip()
        body = bodies.get(body_name.lower()) if body_name else None
        if body_name and body is None:
            row_errors.append(RowError(number, "Leading group",
                                       f"Unknown group {body_name}: give the name of a governance body, e.g. "
                                       f"{', '.join(b.name for b in list(bodies.values())[:2]) or 'none set up'}."))
        elif body is not None and group_has_ended(body, on=day) and getattr(action, "leading_body_id", None) != body.pk:
            row_errors.append(RowError(number, "Leading group", f"{body} ended on {body.end_date:%-d %b %Y}: choose a "
                                                                "group that still meets."))
        dates = {}
        for column in DATE_COLUMNS:
            try:
                dates[column] = parse_date(row.get(column, ""))
            except ValueError:
                row_errors.append(RowError(number, column,
                                           f"Bad date {row.get(column)!r}: write it as 2026-03-31 or 31/03/2026."))
        # A date column the file leaves out keeps the action's date, which the other date must still agree with.
        start = dates.get("Start date") if "Start date" in row else getattr(action, "start_date", None)
        due = dates.get("Due date") if "Due date" in row else getattr(action, "due_date", None)
        if start and due and due < start:
            row_errors.append(RowError(number, "Due date" if "Due date" in row else "Start date",
                                       f"The due date ({due:%-d %b %Y}) is before the start date "
                                       f"({start:%-d %b %Y})."))
        for column, limit in (("Action code", 20), ("Title", 300), ("Timescale", 200), ("Plan priorities", 100)):
            if len(row.get(column, "")) > limit:
                row_errors.append(RowError(number, column, f"{column} is longer than {limit} characters."))
        if row_errors:
            errors.extend(row_errors)
            continue
        resolved.append((number, ActionFields(
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
            given=frozenset(field for column, field in OPTIONAL_FIELDS.items() if column in row),
        )))
    return resolved, [e.as_dict() for e in errors], existing


def resolve_rows(*, strategy: Strategy, rows: list[dict]) -> tuple[list[ActionFields], list[dict]]:
    """Check every row against the plan; return the actions to write and every row error (not just the first).

    Row errors: a missing required value, an unknown theme, an unknown lead or one who has left (unless they
    already lead that action), an unknown group or one that has ended (unless it already leads that action),
    a bad date, a due date before the start (the action's own date counts where the file has no such column),
    and an action code used twice in the file.
    """
    resolved, errors, _ = _resolve(strategy=strategy, rows=rows)
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


def preview(*, strategy: Strategy, rows: list[dict]) -> list[dict]:
    """For the preview table: each row with what will happen to it ("create", "update" with its changes, or
    "unchanged") and its errors."""
    resolved, errors, existing = _resolve(strategy=strategy, rows=rows)
    fields_of_row = dict(resolved)
    by_row: dict[int, list[dict]] = {}
    for error in errors:
        by_row.setdefault(error["row"], []).append(error)
    out = []
    for row in rows:
        action = existing.get(row.get("Action code", "").strip().lower())
        fields = fields_of_row.get(row["_row"])
        changes = field_changes(action, fields) if action is not None and fields is not None else []
        if action is None:
            change = "create"
        elif fields is None:
            change = "update"  # a row with errors: what it would change is not worked out
        else:
            change = "update" if changes else "unchanged"
        out.append({
            "row": row["_row"],
            "theme_code": row.get("Theme code", ""),
            "code": row.get("Action code", ""),
            "title": row.get("Title", ""),
            "leads": row.get("Leads", ""),
            "due": row.get("Due date", ""),
            "errors": by_row.get(row["_row"], []),
            "change": change,
            "changes": changes,
        })
    return out
