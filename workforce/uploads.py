"""A check on an uploaded workbook before it is opened, shared by the staff import (workforce.staff_import)
and the action plan's import (actions.spreadsheets). An .xlsx is a zip, and a zip of a few hundred
kilobytes can unpack to gigabytes (a "zip bomb"); openpyxl would read all of it."""

import io
import zipfile


def xlsx_unpacked_bytes(data: bytes) -> int:
    """What the workbook's parts add up to unpacked, as its zip directory says; 0 when it is not a zip.
    The directory cannot understate it: zipfile stops at the declared size and then fails the part's CRC."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return 0
