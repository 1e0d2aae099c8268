"""Reading a staff file (CSV or XLSX) into rows of text, refusing a file that cannot be read as a whole
with a StaffFileError an HR officer understands."""

import csv
import io
import zipfile
from collections.abc import Iterator

from core.uploads import cell_text, xlsx_unpacked_bytes

from .columns import (
    ALLOWED_EXTENSIONS,
    COLUMN_NAMES,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    REQUIRED,
    ROW,
    ROW_PROBLEM,
    StaffFileError,
)


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


def _refuse_whole_file(lower: str, data: bytes) -> None:
    """The checks made before a single row is read: the file's type, its size, and that it holds something."""
    if not lower.endswith(ALLOWED_EXTENSIONS):
        raise StaffFileError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
    if len(data) > MAX_UPLOAD_BYTES:
        limit = MAX_UPLOAD_BYTES // (1024 * 1024)
        raise StaffFileError(f"The file is larger than {limit} MB. Split it and import each part.")
    if not data.strip():
        raise StaffFileError("The file is empty.")


def _read_header(cells: list[str]) -> tuple[list[str | None], int]:
    """The column each cell of the header row names (None for one the import does not read), and how many
    cells wide it is. Refuses a header naming no column, a column twice, or lacking a required one."""
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
    return header, width


def read_staff_file(*, name: str, data: bytes) -> list[tuple[int, dict]]:
    """The file's data rows as (line number, {column: text}). Raises StaffFileError for a file that is not
    CSV/XLSX, is too big, is empty, has no header row, names a column twice or lacks a required column. A row
    whose cells do not line up with the header (a quote never closed, a cell too many) carries
    (column, message) under ROW_PROBLEM for check_staff_rows to report."""
    lower = (name or "").lower()
    _refuse_whole_file(lower, data)
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
            header, width = _read_header(cells)
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
