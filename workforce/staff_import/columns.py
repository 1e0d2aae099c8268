"""The staff file's shape: its columns and headings, the limits on a file, and a row's result while checking."""

from collections.abc import Iterable
from dataclasses import dataclass, field

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

ROW = "row"  # the key of a problem with the row as a whole rather than one of its cells
ROW_PROBLEM = "_row_problem"  # read_staff_file puts (column, message) here when the row's cells are out of shape


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
    change_notes: list = field(default_factory=list)  # and, in words, each change: "Band: 3 → 4"
    ends_roles: list = field(default_factory=list)  # for a person who moves: the designated roles that end
    existing: dict | None = None  # while checking: the person in the portal the row is about, if any

    def as_json(self) -> dict:
        data = {"line": self.line, "values": self.values, "outcome": self.outcome, "changes": self.changes,
                "change_notes": self.change_notes}
        if self.ends_roles:
            data["ends_roles"] = self.ends_roles
        return data


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
