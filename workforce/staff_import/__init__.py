"""Reading and checking a staff file from an HR system (CSV or XLSX), and writing the same shape out.
Nothing here writes to the database: `services.staff_import_preview` / `staff_import_confirm` do.
By topic: columns (the shape), reading, cells and checking (the rules), portal (lookups), writing."""

from .cells import CHOICE_COLUMNS, CHOICE_VALUES, EARLIEST_START, MAX_LENGTHS
from .checking import ADMINISTRATORS_MANAGE, check_staff_rows
from .columns import (
    ALLOWED_EXTENSIONS,
    CHUNK,
    COLUMN_LABELS,
    COLUMN_NAMES,
    COLUMN_OF,
    COLUMNS,
    DATE_FORMATS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    REQUIRED,
    ROW,
    ROW_PROBLEM,
    RowResult,
    StaffFileError,
)
from .portal import LEAD_MAY_CHANGE_EMAIL_OF, PRIVILEGED_ACCOUNT
from .reading import DELIMITER_NAMES, HEADINGS, SAVE_AS_CSV_UTF8, XLSX_UNREADABLE, read_staff_file
from .writing import staff_export_lines

__all__ = [
    "ADMINISTRATORS_MANAGE", "ALLOWED_EXTENSIONS", "CHOICE_COLUMNS", "CHOICE_VALUES", "CHUNK", "COLUMNS",
    "COLUMN_LABELS", "COLUMN_NAMES", "COLUMN_OF", "DATE_FORMATS", "DELIMITER_NAMES", "EARLIEST_START", "HEADINGS",
    "LEAD_MAY_CHANGE_EMAIL_OF", "MAX_LENGTHS", "MAX_UNPACKED_BYTES", "MAX_UPLOAD_BYTES", "PRIVILEGED_ACCOUNT",
    "REQUIRED", "ROW", "ROW_PROBLEM", "RowResult", "SAVE_AS_CSV_UTF8", "StaffFileError", "XLSX_UNREADABLE",
    "check_staff_rows", "read_staff_file", "staff_export_lines",
]
