"""The staff import: every kind of bad row is refused with its message and nothing is written; a good
file is previewed, confirmed in one go, and importing it again changes nothing."""

import io
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.workforce.conftest import person_row, staff_csv
from workforce import services
from workforce.models import ImportBatch, StaffProfile, User
from workforce.staff_import import MAX_UPLOAD_BYTES, StaffFileError

pytestmark = pytest.mark.django_db


def _written():
    return (User.objects.count(), StaffProfile.objects.count(), ImportBatch.objects.count())


def _upload(client, content: bytes, name="staff.csv"):
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, content)})


def _text(response) -> str:
    return response.content.decode()


BAD_ROWS = [
    ("bad email", "email", [person_row(1, email="not-an-email")], "“not-an-email” is not an email address."),
    ("unknown organisation", "organisation", [person_row(1, organisation="Nowhere Trust")],
     "There is no organisation called “Nowhere Trust” in the partnership."),
    ("unknown band", "cts_band", [person_row(1, cts_band="7")],
     "“7” is not a Core Training Standard band (use one of 1, 2, 3, 4)."),
    ("duplicate in file", "email", [person_row(1), person_row(2, email="new.person1@council.example")],
     "This email is also on row 3: each person once."),
    ("manager nowhere", "line_manager_email", [person_row(1, line_manager_email="ghost@council.example")],
     "No one with the email “ghost@council.example” is in this file or City Council Children&#x27;s Services."),
    ("empty required field", "job_title", [person_row(1, job_title="")],
     "This column is empty, and every person needs it."),
    ("unreadable date", "start_date", [person_row(1, start_date="31/31/2023")],
     "“31/31/2023” is not a date that can be read. Write it as 2024-01-31 or 31/01/2024."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "column", "rows", "message"), BAD_ROWS, ids=[k for k, *_ in BAD_ROWS])
def test_each_bad_row_is_explained_next_to_its_column_and_nothing_is_written(client, lead, kind, column, rows,
                                                                              message):  # fmt: skip
    client.force_login(lead)
    good = person_row(9)  # a valid row in the same file is not imported either
    before = _written()
    response = _upload(client, staff_csv([good, *rows]))
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem with the file: nothing has been imported" in page
    assert message in page
    assert 'class="import-cell-error"' in page
    assert f"<td><code>{column}</code></td>" in page  # the message is on the line of the column that is wrong
    # Each file has one bad row; the good rows' outcomes are said too.
    assert f"The other rows are ready: {len(rows)} new, 0 updated, 0 unchanged." in page
    assert _written() == before
    assert not User.objects.filter(email=good["email"]).exists()


FILE_ERRORS = [
    ("not csv or xlsx", b"%PDF-1.4 not a staff file", "staff.pdf",
     "The file must be a CSV file (.csv) or an Excel workbook (.xlsx)."),
    ("binary named csv", b"\x00\x01\x02PK\x00", "staff.csv", "This file is not a CSV file"),
    ("broken xlsx", b"this is text, not a workbook", "staff.xlsx",
     "This file is not an Excel workbook that can be opened."),
    ("no header", staff_csv([person_row(1)]).split(b"\n", 1)[1], "staff.csv", "The file has no header row."),
    ("missing column", b"email,first_name,last_name\na@b.example,A,B\n", "staff.csv",
     "The file has no column for: organisation, job_title, cts_band."),
    ("empty file", b"", "staff.csv", "The submitted file is empty."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "content", "name", "message"), FILE_ERRORS, ids=[k for k, *_ in FILE_ERRORS])
def test_a_file_that_cannot_be_read_is_refused_with_a_message(client, lead, kind, content, name, message):
    client.force_login(lead)
    before = _written()
    response = _upload(client, content, name=name)
    assert response.status_code == 200
    assert message in _text(response)
    assert _written() == before


def test_a_file_over_the_size_limit_is_refused(lead, council):
    with pytest.raises(StaffFileError, match="larger than 10 MB"):
        services.staff_import_preview(name="big.csv", data=b"x" * (MAX_UPLOAD_BYTES + 1), by=lead,
                                      organisation=council)  # fmt: skip
    assert ImportBatch.objects.count() == 0


def test_a_lead_cannot_import_people_of_another_organisation(client, lead, nursery):
    client.force_login(lead)
    before = _written()
    response = _upload(client, staff_csv([person_row(1, organisation=nursery.name)]))
    assert "You can import people of City Council Children&#x27;s Services only." in _text(response)
    assert _written() == before


def test_a_lead_cannot_take_over_someone_in_another_organisation(client, lead, make_user, nursery):
    make_user(email="taken@nursery.example", profile={"organisation": nursery})
    client.force_login(lead)
    response = _upload(client, staff_csv([person_row(1, email="taken@nursery.example")]))
    assert "This person is in another organisation in the portal." in _text(response)
    assert User.objects.get(email="taken@nursery.example").profile.organisation == nursery


def test_good_file_previews_then_confirms_then_reimport_changes_nothing(client, lead, council, make_user):
    existing = make_user(email="known@council.example", first_name="Kim", last_name="Known",
                         profile={"organisation": council, "job_title": "Old title", "cts_band": 2})  # fmt: skip
    rows = [
        person_row(1, line_manager_email="new.person2@council.example"),  # manager further down the file
        person_row(2, cts_band="Band 4", job_title="Team manager", line_manager_email="lead@council.example"),
        person_row(3, email="KNOWN@council.example", first_name="Kim", last_name="Known", job_title="Social worker",
                   cts_band="4", start_date="04/09/2023", workforce="Wider", hours="Part time"),
    ]  # fmt: skip
    content = staff_csv(rows)
    client.force_login(lead)

    response = _upload(client, content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/people/import/{batch.pk}/"
    assert User.objects.filter(email__startswith="new.person").count() == 0  # nothing yet
    preview = _text(client.get(response.url))
    assert "Every row is valid. Nothing has changed yet" in preview
    assert batch.summary == {"new": 2, "updated": 1, "unchanged": 0, "bad": 0, "total": 3}
    # Kim Known: each change in words, from what the portal has to what the file says
    for change in ("HR reference: (empty) → HR0003", "Job title: Old title → Social worker", "Band: 2 → 4",
                   "Core or wider workforce: core → wider", "Full or part time: full → part",
                   "Start date: (empty) → 4 Sep 2023"):
        assert change in preview, change

    response = client.post(f"/people/import/{batch.pk}/confirm/", follow=True)
    assert "Import done: 2 new, 1 updated, 0 unchanged." in _text(response)
    first = User.objects.select_related("profile__line_manager").get(email="new.person1@council.example")
    second = User.objects.select_related("profile__line_manager").get(email="new.person2@council.example")
    assert (first.first_name, first.profile.organisation, first.profile.cts_band) == ("First1", council, 3)
    assert first.profile.line_manager == second
    assert second.profile.line_manager == lead and second.profile.cts_band == 4
    assert first.profile.employee_ref == "HR0001" and first.profile.start_date == date(2023, 9, 4)
    assert not first.has_usable_password()  # they set one through "forgotten password"
    assert first.groups.filter(name="Practitioner").exists()
    created = first.profile.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+", lead, "Imported from staff.csv"
    )
    existing.refresh_from_db()
    existing.profile.refresh_from_db()
    assert (existing.profile.job_title, existing.profile.cts_band) == ("Social worker", 4)
    assert (existing.profile.workforce, existing.profile.hours) == ("wider", "part")
    assert existing.profile.history.latest().history_user == lead

    snapshot = list(StaffProfile.objects.order_by("pk").values())
    response = _upload(client, content)
    again = ImportBatch.objects.latest("created_at")
    assert again.summary == {"new": 0, "updated": 0, "unchanged": 3, "bad": 0, "total": 3}
    client.post(f"/people/import/{again.pk}/confirm/")
    assert list(StaffProfile.objects.order_by("pk").values()) == snapshot
    assert first.profile.history.count() == 1  # the re-import wrote nothing, not even history
    assert User.objects.filter(email__startswith="new.person").count() == 2


def test_an_imported_person_chooses_their_first_password_through_forgotten_password(
        client, lead, council, django_capture_on_commit_callbacks):
    preview = services.staff_import_preview(name="hr.csv", data=staff_csv([person_row(1)]), by=lead,
                                            organisation=council)  # fmt: skip
    services.staff_import_confirm(batch=preview.batch, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "new.person1@council.example"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    form_page = client.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    client.post(form_page.redirect_chain[-1][0],
                {"new_password1": "my-first-passphrase", "new_password2": "my-first-passphrase"})  # fmt: skip
    assert client.login(username="new.person1@council.example", password="my-first-passphrase")


def test_people_are_matched_by_hr_reference_when_their_email_changed(lead, council, make_user):
    person = make_user(email="old.address@council.example", profile={"organisation": council, "employee_ref": "HR77"})
    data = staff_csv([person_row(1, email="new.address@council.example", hr_reference="HR77")])
    preview = services.staff_import_preview(name="s.csv", data=data, by=lead, organisation=council)
    assert [r.outcome for r in preview.results] == ["updated"]
    services.staff_import_confirm(batch=preview.batch, by=lead)
    person.refresh_from_db()
    assert person.email == "new.address@council.example"
    assert User.objects.count() == 2  # lead + the person: nobody new


def test_an_xlsx_export_from_hr_imports_like_a_csv(lead, council):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email", "HR reference", "First name", "Last name", "Organisation", "Job title", "Band",
                  "Start date"])  # fmt: skip
    sheet.append(["xl.person@council.example", "HR9", "Xena", "Lowe", council.name, "Social worker", 4,
                  date(2021, 3, 1)])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = services.staff_import_preview(name="hr.xlsx", data=buffer.getvalue(), by=lead, organisation=council)
    services.staff_import_confirm(batch=preview.batch, by=lead)
    profile = StaffProfile.objects.get(user__email="xl.person@council.example")
    assert (profile.cts_band, profile.start_date, profile.employee_ref) == (4, date(2021, 3, 1), "HR9")


def test_confirm_rechecks_and_writes_nothing_if_the_portal_changed(lead, council, make_user):
    data = staff_csv([person_row(1, line_manager_email="boss@council.example")])
    boss = make_user(email="boss@council.example", profile={"organisation": council})
    preview = services.staff_import_preview(name="s.csv", data=data, by=lead, organisation=council)
    boss.is_active = False
    boss.save()
    with pytest.raises(services.StaffImportError, match="changed since the preview"):
        services.staff_import_confirm(batch=preview.batch, by=lead)
    assert not User.objects.filter(email="new.person1@council.example").exists()


def test_an_old_preview_that_would_now_undo_a_later_change_is_refused(client, lead, council, make_user):
    """A preview left waiting, then the person changed (by hand or by another import): confirming it would
    write what the preview never showed — here, turning her email (her sign-in) back."""
    person = make_user(email="harry@council.example", profile={"organisation": council, "employee_ref": "HR7"})
    client.force_login(lead)
    old = b"".join(client.get("/people/staff/export.csv").streaming_content)
    preview = services.staff_import_preview(name="old.csv", data=old, by=lead, organisation=council)
    assert preview.counts["unchanged"] == preview.counts["total"]
    person.email = "harry.new@council.example"
    person.save()
    response = client.post(f"/people/import/{preview.batch.pk}/confirm/", follow=True)
    assert ("Something in the portal changed since the preview: 1 row would now change something other than the "
            "preview showed. Nothing has been imported.") in response.content.decode()
    person.refresh_from_db()
    assert person.email == "harry.new@council.example"
    assert ImportBatch.objects.get(pk=preview.batch.pk).status == ImportBatch.Status.PREVIEWED


def test_a_confirmed_import_cannot_be_confirmed_twice(lead, council):
    preview = services.staff_import_preview(name="s.csv", data=staff_csv([person_row(1)]), by=lead,
                                            organisation=council)  # fmt: skip
    services.staff_import_confirm(batch=preview.batch, by=lead)
    with pytest.raises(services.StaffImportError, match="already been confirmed"):
        services.staff_import_confirm(batch=preview.batch, by=lead)


def test_someone_elses_import_is_a_404(client, lead, council, make_user):
    preview = services.staff_import_preview(name="s.csv", data=staff_csv([person_row(1)]), by=lead,
                                            organisation=council)  # fmt: skip
    other_lead = make_user(profile={"organisation": council, "is_organisation_lead": True})
    client.force_login(other_lead)
    assert client.get(f"/people/import/{preview.batch.pk}/").status_code == 404
    assert client.post(f"/people/import/{preview.batch.pk}/confirm/").status_code == 404
    assert not User.objects.filter(email="new.person1@council.example").exists()


def test_the_export_has_the_shape_the_import_reads(client, lead, council, make_user):
    make_user(email="a.person@council.example", first_name="Ada", last_name="Person",
              profile={"organisation": council, "employee_ref": "HR1", "line_manager": lead,
                       "start_date": date(2020, 1, 6)})  # fmt: skip
    client.force_login(lead)
    response = client.get("/people/staff/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    lines = content.decode().splitlines()
    assert lines[0] == ",".join(services.COLUMN_NAMES)
    assert "a.person@council.example,HR1,Ada,Person,City Council Children's Services" in content.decode()
    preview = services.staff_import_preview(name="export.csv", data=content, by=lead, organisation=council)
    assert preview.counts["unchanged"] == preview.counts["total"] == 2  # the lead and Ada


def test_the_export_defuses_spreadsheet_formulas_and_the_import_reads_them_back(client, lead, council, make_user):
    make_user(email="f@council.example", profile={"organisation": council, "job_title": "=HYPERLINK(\"x\")"})
    client.force_login(lead)
    content = b"".join(client.get("/people/staff/export.csv").streaming_content)
    assert b"'=HYPERLINK" in content
    preview = services.staff_import_preview(name="export.csv", data=content, by=lead, organisation=council)
    assert preview.counts["unchanged"] == 2
