"""The export writer: every kind of value as a CSV cell, formula-like text defused, and the import's reader
giving back what was written."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.exports import csv_bytes, csv_cell, sheet_title, xlsx_bytes
from core.uploads import cell_text


@pytest.mark.parametrize(("value", "cell"), [
    (None, ""), ("plain", "plain"), (12, "12"), (dt.date(2026, 3, 31), "2026-03-31"),
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-5 days", "'-5 days"), ("@lead", "'@lead"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("'=x", "''=x"), ("'plain", "'plain"), ("It's =fine", "It's =fine"), ("", ""),
])  # fmt: skip
def test_a_value_as_a_csv_cell(value, cell):
    assert csv_cell(value) == cell
    assert cell_text(cell) == ("" if value is None else str(value) if not isinstance(value, dt.date) else cell)


def test_a_time_is_local_to_the_minute(settings):
    settings.TIME_ZONE = "Europe/London"
    assert csv_cell(timezone.make_aware(dt.datetime(2026, 7, 1, 12, 30, 59), dt.UTC)) == "2026-07-01 13:30"


def test_headers_are_defused_too_and_the_file_opens_as_utf8_in_excel():
    content = csv_bytes(["=Title", "Ward"], [["Ann", "Z"]])
    assert content.startswith("\ufeff".encode()) and content.decode("utf-8-sig").splitlines()[0] == "'=Title,Ward"


@pytest.mark.parametrize(("name", "title"), [
    ("Actions", "Actions"), ("=HYPERLINK(x)", "HYPERLINK(x)"), ("'quoted'", "quoted"), ("a/b:c*d?[e]", "abcde"),
    ("", "Sheet"), ("x" * 40, "x" * 31),
])  # fmt: skip
def test_a_sheet_name_is_one_excel_takes_and_never_starts_like_a_formula(name, title):
    assert sheet_title(name) == title


def test_a_workbooks_header_is_bold_and_formula_like_text_is_quote_prefixed_text():
    content = xlsx_bytes(title="=Sheet", header=["=Head", "Plain"], rows=[["-1+2", dt.date(2026, 1, 2)]],
                         widths=[20, 10])
    sheet = load_workbook(io.BytesIO(content)).active
    head, plain, text, day = sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"]
    assert sheet.title == "Sheet"
    assert (head.value, head.data_type, head.quotePrefix, head.font.b) == ("=Head", "s", True, True)
    assert (plain.value, plain.quotePrefix, plain.font.b) == ("Plain", False, True)
    assert (text.value, text.data_type, text.quotePrefix) == ("-1+2", "s", True)
    assert day.value.date() == dt.date(2026, 1, 2) and sheet.freeze_panes == "A2"
