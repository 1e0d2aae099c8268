"""PDF/UA (Matterhorn 15-003): every table header cell of a tagged PDF says whether it heads a column or a row."""

from weasyprint import HTML

from core.pdf import table_header_scopes
from tests.pdf_structure import table_headers

TABLES = """<!doctype html><html lang="en-GB"><head><title>Tables</title></head><body>
<table><caption>Both kinds</caption>
  <thead><tr><th scope="col">Sector</th><th scope="col">People</th></tr></thead>
  <tbody><tr><th scope="row">Health</th><td>3</td></tr><tr><th scope="row">Schools</th><td>4</td></tr></tbody>
  <tfoot><tr><th scope="row">All sectors</th><td>7</td></tr></tfoot>
</table>
<table><caption>A header row without a thead</caption>
  <tr><th>Course</th><th>Date</th></tr>
  <tr><td>Prevent</td><td>9 March</td></tr>
</table>
<table><caption>A row header after a data cell</caption>
  <tbody><tr><td>Training</td><th scope="row">Bookings</th><td>3</td></tr></tbody>
</table>
</body></html>"""


def test_weasyprint_alone_leaves_the_headers_without_a_scope():
    """Why the finisher exists: were WeasyPrint to add scopes itself, this would say so."""
    content = HTML(string=TABLES).write_pdf(pdf_variant="pdf/ua-1")
    assert {scope for _group, scope in table_headers(content)} == {None}


def test_column_headers_and_row_headers_get_their_scope():
    content = HTML(string=TABLES).write_pdf(pdf_variant="pdf/ua-1", finisher=table_header_scopes)
    assert table_headers(content) == [
        ("/THead", "/Column"), ("/THead", "/Column"),
        ("/TBody", "/Row"), ("/TBody", "/Row"),
        ("/TFoot", "/Row"),
        ("/TBody", "/Column"), ("/TBody", "/Column"),  # WeasyPrint puts a bare row in an anonymous TBody
        ("/TBody", "/Row"),
    ]
