"""The one writer of every CSV and XLSX export, so no cell a spreadsheet would run as a formula gets out:
such text gets an apostrophe (CSV) or a quote-prefixed text cell (XLSX). docs/core.md."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FIRST = frozenset("".join(FORMULA_STARTS) + "'")  # a cheap first look before the full rule


def runs_as_formula(text: str) -> bool:
    """True for text that, after any leading apostrophes, starts like a formula."""
    return bool(text) and text[0] in _FIRST and text.lstrip("'").startswith(FORMULA_STARTS)


def csv_cell(value: object) -> str:
    """A value as a CSV cell: nothing for None, local time to the minute, ISO dates, formula-like text defused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if runs_as_formula(value) else value
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else (
            value.strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_lines(header: Sequence[object], rows: Iterable[Iterable[object]], *, bom: bool = True) -> Iterator[str]:
    """The file line by line (for a streamed response): the header, then each row, every cell through
    `csv_cell`. `bom`: a UTF-8 byte-order mark first, so Excel opens the file as UTF-8."""
    writer = csv.writer(_Line())
    first = writer.writerow([csv_cell(name) for name in header])
    yield ("\ufeff" + first) if bom else first
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row])


def csv_bytes(header: Sequence[object], rows: Iterable[Iterable[object]]) -> bytes:
    """The whole file, UTF-8 with a byte-order mark."""
    return "".join(csv_lines(header, rows)).encode("utf-8")


def sheet_title(name: str) -> str:
    """A worksheet's name: no characters Excel refuses ([]:*?/\\), no formula start or apostrophe at its
    start (Excel refuses a leading apostrophe), at most 31 characters."""
    title = "".join(ch for ch in str(name) if ch not in "[]:*?/\\")
    title = title.lstrip("'" + "".join(FORMULA_STARTS)).strip()
    return title[:31].rstrip("'") or "Sheet"


def _xlsx_cell(sheet: Any, value: object, *, bold: Font | None = None) -> object:
    """Text that runs as a formula becomes a quote-prefixed text cell (openpyxl would take "=..." for a formula,
    hence the explicit type); an apostrophe-led one gets one more apostrophe, as in the CSV. Dates, numbers and
    other text go as they are (dates as real date cells)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    if not (bold or (isinstance(value, str) and runs_as_formula(value))):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and runs_as_formula(value):
        if value.startswith("'"):
            cell.value = "'" + value
        cell.data_type = "s"
        cell.quotePrefix = True
    if bold:
        cell.font = bold
    return cell


def xlsx_bytes(*, title: str, header: Sequence[str], rows: Iterable[Iterable[object]],
               widths: Sequence[int] = ()) -> bytes:
    """One worksheet, written as a stream: the header bold and frozen, column widths as given (characters)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(title))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, name, bold=bold) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
