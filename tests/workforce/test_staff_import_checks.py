"""The staff import's checks found missing by the review of issue 3: cells longer than the database keeps, the
portal's own export after someone left or an organisation closed, leavers in the file, files with a column twice,
a stray quote, impossible dates, UTF-16 text and line managers going round in a loop. Each is a message next to
what is wrong, and nothing is written."""

import os
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.workforce.conftest import person_row, staff_csv
from workforce import services
from workforce.models import ImportBatch, StaffProfile, User
from workforce.staff_import import COLUMN_NAMES, StaffFileError

pytestmark = pytest.mark.django_db


def _written():
    return list(User.objects.order_by("pk").values()), list(StaffProfile.objects.order_by("pk").values()), (
        ImportBatch.objects.count()
    )


def _preview(lead, council, data, name="staff.csv"):
    return services.staff_import_preview(name=name, data=data, by=lead, organisation=council)


def _errors(preview):
    return {(r.line, column): message for r in preview.results for column, message in r.errors.items()}


# --- Cells longer than the database keeps -------------------------------------------------------------

LONG = [
    ("job_title", 201, 200), ("first_name", 151, 150), ("last_name", 151, 150), ("hr_reference", 51, 50),
]  # fmt: skip


@pytest.mark.parametrize(("column", "length", "limit"), LONG, ids=[c for c, *_ in LONG])
def test_a_cell_longer_than_the_portal_keeps_is_a_message_in_the_preview(client, lead, column, length, limit):
    client.force_login(lead)
    before = _written()
    data = staff_csv([person_row(1, **{column: "x" * length})])
    page = client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", data)}).content.decode()
    assert f"This is {length} characters long; the portal keeps at most {limit}. Shorten it." in page
    assert f"<td><code>{column}</code></td>" in page
    assert _written() == before


def test_an_email_longer_than_254_characters_is_refused(lead, council):
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".example"  # 312 characters, valid otherwise
    preview = _preview(lead, council, staff_csv([person_row(1, email=email)]))
    assert _errors(preview) == {(2, "email"): "This is 312 characters long; the portal keeps at most 254. Shorten it."}


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL's limits")
def test_on_postgresql_a_long_job_title_is_a_message_not_a_500(client, lead):
    """PostgreSQL refuses a value longer than the column (DataError, a 500 at confirm before the fix)."""
    client.force_login(lead)
    data = staff_csv([person_row(1, job_title="Senior " * 40)])
    response = client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", data)})
    assert response.status_code == 200
    assert "the portal keeps at most 200" in response.content.decode()
    assert not User.objects.filter(email="new.person1@council.example").exists()


# --- The portal's own export, after someone left or an organisation closed -----------------------------


def _export(client, user):
    client.force_login(user)
    return b"".join(client.get("/people/staff/export.csv").streaming_content)


def test_the_export_imports_again_after_a_line_manager_left(client, lead, council, make_user):
    boss = make_user(email="boss@council.example", profile={"organisation": council})
    report = make_user(email="report@council.example", profile={"organisation": council, "line_manager": boss})
    boss.is_active = False
    boss.save()
    content = _export(client, lead)
    assert b"report@council.example" in content and b"boss@council.example" in content  # as her manager

    preview = _preview(lead, council, content)
    assert preview.is_valid, _errors(preview)
    assert preview.counts["unchanged"] == preview.counts["total"] == 2  # the lead and the report
    services.staff_import_confirm(batch=preview.batch, by=lead)
    report.profile.refresh_from_db()
    assert report.profile.line_manager == boss  # left as it was


def test_a_new_line_manager_who_has_left_is_refused_with_a_message_that_says_so(lead, council, make_user):
    boss = make_user(email="boss@council.example", profile={"organisation": council})
    boss.is_active = False
    boss.save()
    make_user(email="report@council.example", profile={"organisation": council})
    data = staff_csv([
        person_row(1, line_manager_email="boss@council.example"),  # new person
        person_row(2, email="report@council.example", line_manager_email="boss@council.example"),  # new link
    ])  # fmt: skip
    preview = _preview(lead, council, data)
    message = ("“boss@council.example” has left: their account is closed. Choose a current line manager, or leave "
               "the cell empty.")  # fmt: skip
    assert _errors(preview) == {(2, "line_manager_email"): message, (3, "line_manager_email"): message}
    assert preview.batch is None


def test_a_lead_names_line_managers_from_their_own_organisation_only(lead, council, nursery, make_user, admin_user):
    """As on the profile form: a lead's import cannot link their people to a manager elsewhere (who would then
    see those people's details), and says so in the words it uses for an address nobody has."""
    make_user(email="elsewhere@nursery.example", profile={"organisation": nursery})
    data = staff_csv([person_row(1, line_manager_email="elsewhere@nursery.example"),
                      person_row(2, line_manager_email="nobody@nursery.example")])
    preview = _preview(lead, council, data)
    assert _errors(preview) == {
        (2, "line_manager_email"): "No one with the email “elsewhere@nursery.example” is in this file or "
                                   "City Council Children's Services.",
        (3, "line_manager_email"): "No one with the email “nobody@nursery.example” is in this file or "
                                   "City Council Children's Services.",
    }
    assert preview.batch is None
    # An administrator imports for the whole partnership: any manager on the portal.
    admin_preview = services.staff_import_preview(name="staff.csv", data=staff_csv([person_row(
        1, line_manager_email="elsewhere@nursery.example")]), by=admin_user, organisation=None)
    assert admin_preview.is_valid, _errors(admin_preview)


def test_a_manager_elsewhere_already_set_by_an_administrator_stays_on_the_lead_s_export(client, lead, council,
                                                                                       nursery, make_user):
    boss = make_user(email="boss@nursery.example", profile={"organisation": nursery})
    make_user(email="report@council.example", profile={"organisation": council, "line_manager": boss})
    preview = _preview(lead, council, _export(client, lead))
    assert preview.is_valid, _errors(preview)
    assert preview.counts["unchanged"] == preview.counts["total"] == 2


def test_people_of_an_organisation_that_closed_import_again_but_no_one_joins_it(admin_user, make_user, nursery):
    stays = make_user(email="stays@nursery.example", profile={"organisation": nursery, "job_title": "Nursery nurse"})
    nursery.is_active = False
    nursery.save()
    rows = [
        person_row(1, email=stays.email, first_name=stays.first_name, last_name=stays.last_name,
                   organisation=nursery.name, job_title="Nursery nurse"),
        person_row(2, organisation=nursery.name),  # someone new
    ]  # fmt: skip
    preview = services.staff_import_preview(name="s.csv", data=staff_csv(rows), by=admin_user, organisation=None)
    assert _errors(preview) == {(3, "organisation"): (
        "Little Acorns Day Nursery is no longer active in the partnership, so no one can join it. Only the people "
        "already in it can stay.")}  # fmt: skip
    assert preview.results[0].errors == {}


# --- Leavers in the file ----------------------------------------------------------------------------


def test_importing_someone_who_has_left_says_so_and_changes_nothing(client, lead, council, make_user):
    leaver = make_user(email="gone@council.example", first_name="Gwen", last_name="Gone",
                       profile={"organisation": council, "job_title": "Before"})  # fmt: skip
    leaver.is_active = False
    leaver.save()
    client.force_login(lead)
    before = _written()
    data = staff_csv([person_row(1, email="gone@council.example", job_title="After")])
    page = client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", data)}).content.decode()
    assert ("Gwen Gone has left: their account is closed, so the import cannot change them. Ask an administrator "
            "to reinstate the account first, or take the row out of the file.") in page  # fmt: skip
    assert _written() == before


# --- Files in odd shapes ----------------------------------------------------------------------------


def test_a_file_with_two_columns_of_the_same_name_is_refused(lead, council):
    columns = [*COLUMN_NAMES, "Email"]
    data = staff_csv([person_row(1)], columns=COLUMN_NAMES).replace(b"start_date\r\n", b"start_date,Email\r\n", 1)
    data = data.replace(b"2023-09-04\r\n", b"2023-09-04,other@council.example\r\n")
    assert data.splitlines()[0].decode().split(",") == columns
    with pytest.raises(StaffFileError, match=r"The file has more than one email column: columns A \(“email”\) and "
                                             r"N \(“Email”\)\. Keep one of them"):  # fmt: skip
        _preview(lead, council, data)
    assert ImportBatch.objects.count() == 0


def test_a_stray_quote_is_reported_on_its_row_and_in_its_column(client, lead):
    good = staff_csv([person_row(1), person_row(3)]).decode().splitlines()
    broken = staff_csv([person_row(2, job_title="PLACEHOLDER")]).decode().splitlines()[1]
    broken = broken.replace("PLACEHOLDER", '"Family support worker')  # the quote is never closed
    data = "\r\n".join([good[0], good[1], broken]).encode() + b"\r\n"  # the stray quote runs to the file's end
    client.force_login(lead)
    before = _written()
    page = client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", data)}).content.decode()
    assert ("A quote (&quot;) in this cell is never closed, so the commas after it were read as part of this cell "
            "and the rest of the row is missing.") in page  # fmt: skip
    assert "<td><code>job_title</code></td>" in page
    assert "This column is empty" not in page  # not blamed on the columns it swallowed
    assert _written() == before


def test_a_stray_quote_that_runs_over_the_next_line_is_reported_too(lead, council):
    lines = staff_csv([person_row(1), person_row(2), person_row(3)]).decode().splitlines()
    lines[1] = lines[1].replace("Family support worker", '"Family support worker')
    lines[2] = lines[2].replace("Family support worker", 'Family support" worker')
    preview = _preview(lead, council, "\r\n".join(lines).encode())
    assert preview.results[0].errors == {
        "job_title": "A quote (\") in this cell is never closed, so the cell runs on over the next line of the file. "
                     "Remove the quote, or close it at the end of the cell."
    }  # fmt: skip


def test_a_row_with_a_cell_too_many_is_reported(client, lead, council):
    lines = staff_csv([person_row(1), person_row(2)]).decode().splitlines()
    lines[2] += ",surplus"
    data = "\r\n".join(lines).encode()
    message = ("This row has 14 cells but the header row names 13 columns: a cell is missing, or a comma or quote is "
               "out of place. Each row needs one cell for each column.")  # fmt: skip
    assert _errors(_preview(lead, council, data)) == {(3, "row"): message}
    client.force_login(lead)
    page = client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", data)}).content.decode()
    problem = page[page.index('<tr class="import-problem">'):]
    assert problem.index("<th scope=\"row\">3</th>") < problem.index("<em>the whole row</em>") < problem.index(
        message
    )


@time_machine.travel(date(2026, 3, 2))
@pytest.mark.parametrize(("start", "message"), [
    ("0001-01-01", "“0001-01-01” is before 1900. Check the year."),
    ("31/12/1899", "“31/12/1899” is before 1900. Check the year."),
    ("9999-12-31", "“9999-12-31” is more than a year from now (02/03/2027 at the latest). Check the year."),
    ("2027-03-03", "“2027-03-03” is more than a year from now (02/03/2027 at the latest). Check the year."),
])  # fmt: skip
def test_a_start_date_before_1900_or_more_than_a_year_ahead_is_refused(lead, council, start, message):
    preview = _preview(lead, council, staff_csv([person_row(1, start_date=start)]))
    assert _errors(preview) == {(2, "start_date"): message}


@time_machine.travel(date(2026, 3, 2))
def test_a_start_date_within_the_next_year_is_accepted(lead, council):
    preview = _preview(lead, council, staff_csv([person_row(1, start_date="2027-03-02")]))
    assert preview.is_valid


def test_utf16_text_from_excel_imports_like_csv(lead, council):
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated."""
    text = staff_csv([person_row(1, first_name="Zoë")]).decode().replace(",", "\t")
    preview = _preview(lead, council, text.encode("utf-16"))
    assert preview.is_valid, _errors(preview)
    services.staff_import_confirm(batch=preview.batch, by=lead)
    assert User.objects.get(email="new.person1@council.example").first_name == "Zoë"


def test_utf16_without_its_byte_order_mark_says_to_save_as_csv_utf8(lead, council):
    data = staff_csv([person_row(1)]).decode().encode("utf-16-le")
    with pytest.raises(StaffFileError, match="Save it from your spreadsheet as “CSV UTF-8"):
        _preview(lead, council, data)


# --- Line managers in a loop ------------------------------------------------------------------------


def test_two_people_managing_each_other_are_refused(lead, council):
    data = staff_csv([
        person_row(1, line_manager_email="new.person2@council.example"),
        person_row(2, line_manager_email="new.person1@council.example"),
        person_row(3, line_manager_email="new.person1@council.example"),  # below the loop: not in it
    ])  # fmt: skip
    preview = _preview(lead, council, data)
    a, b = "new.person1@council.example", "new.person2@council.example"
    assert _errors(preview) == {
        (2, "line_manager_email"): f"Line managers would go round in a loop: {a} → {b} → {a}. Give someone in the "
                                   "loop a line manager outside it, or none.",
        (3, "line_manager_email"): f"Line managers would go round in a loop: {b} → {a} → {b}. Give someone in the "
                                   "loop a line manager outside it, or none.",
    }  # fmt: skip
    assert preview.batch is None


def test_a_longer_loop_through_someone_already_on_the_portal_is_refused(lead, council, make_user):
    """C is on the portal (not in the file) and reports to A; the file makes A report to B and B to C."""
    c = make_user(email="c@council.example", profile={"organisation": council})
    a = make_user(email="a@council.example", profile={"organisation": council})
    c.profile.line_manager = a
    c.profile.save()
    data = staff_csv([
        person_row(1, email="a@council.example", line_manager_email="b@council.example"),
        person_row(2, email="b@council.example", line_manager_email="c@council.example"),
    ])  # fmt: skip
    errors = _errors(_preview(lead, council, data))
    assert errors[(2, "line_manager_email")].startswith(
        "Line managers would go round in a loop: a@council.example → b@council.example → c@council.example → "
        "a@council.example."
    )
    assert (3, "line_manager_email") in errors
