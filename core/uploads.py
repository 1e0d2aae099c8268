"""Reading uploaded spreadsheets: a zip-bomb check on a workbook before openpyxl opens it
(`xlsx_unpacked_bytes`), and a cell's value as text."""

import datetime as dt
import io
import zipfile

from .exports import runs_as_formula


def xlsx_unpacked_bytes(data: bytes) -> int:
    """What the workbook's parts add up to unpacked, as its zip directory says; 0 when it is not a zip.
    The directory cannot understate it: zipfile stops at the declared size and then fails the part's CRC."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0


def cell_text(value: object) -> str:
    """A cell as text, stripped: dates in ISO form (a date-time: its date), whole numbers without ".0", and the
    apostrophe the export (core.exports) put before formula-like text removed, once."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text[1:] if text.startswith("'") and runs_as_formula(text[1:]) else text
