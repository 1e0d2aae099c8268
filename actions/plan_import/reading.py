"""A plan file's table as rows of text (.csv, .xlsx, a Word .docx); a Word plan's tables with the first
table's headings are one table (plans split them across pages). A merged cell stops the import."""

import io
import zipfile
from typing import Any

from core.uploads import cell_text

MAX_ROWS = 2000


class PlanFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


def docx_tables(content: bytes) -> list[list[list[str]]]:
    """Every table of a Word document as rows of cell text; refuses a file that is not a Word document."""
    from docx import Document  # python-docx imports lxml: only when a Word file is uploaded

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise PlanFileError("This file is not a Word document (.docx). Save the plan from Word as .docx.")
    try:
        document = Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several types for a damaged or disguised file
        raise PlanFileError("This file is not a Word document (.docx). Save the plan from Word as .docx.") from exc
    return [_table_rows(table, number) for number, table in enumerate(document.tables, start=1)]


def _table_rows(table: Any, number: int) -> list[list[str]]:
    rows = []
    for row_number, row in enumerate(table.rows, start=1):
        cells = row.cells
        if len({id(c._tc) for c in cells}) != len(cells) or len(cells) != len(table.columns):
            raise PlanFileError(f"Table {number}, row {row_number} has merged cells: split them in Word "
                                "(Table Layout → Split Cells) so each row has one cell per column, then upload again.")
        rows.append([cell.text.strip() for cell in cells])
    return rows


def docx_table(content: bytes) -> list[list[str]]:
    """The plan's table: the first table with a heading row and data, joined by later tables of its shape."""
    tables = [t for t in docx_tables(content) if t]
    if not tables:
        raise PlanFileError("This Word document has no table: the plan must be a table with a heading row.")
    header = [h.lower() for h in tables[0][0]]
    joined = [tables[0][0]]
    for table in tables:
        start = 1 if [h.lower() for h in table[0]] == header else None
        if start is not None:
            joined.extend(r for r in table[start:] if any(cell_text(c) for c in r))
    if len(joined) == 1:
        raise PlanFileError("The plan's table is empty: it has a heading row but no actions.")
    return joined


def row_dicts(table: list[list[Any]], columns: list[str | None]) -> list[dict[str, Any]]:
    """Data rows as {field: text} with their row number under "_row"; blank rows are skipped."""
    rows: list[dict[str, Any]] = []
    for number, values in enumerate(table[1:], start=2):
        if all(cell_text(v) == "" for v in values):
            continue
        row: dict[str, Any] = {"_row": number}
        for index, column in enumerate(columns):
            if column:
                text = cell_text(values[index]) if index < len(values) else ""
                row[column] = f"{row[column]}\n{text}".strip() if row.get(column) else text
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise PlanFileError(f"The file has {len(rows)} actions; import at most {MAX_ROWS} at a time.")
    if not rows:
        raise PlanFileError("The file has a header but no actions.")
    return rows
