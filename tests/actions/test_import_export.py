import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from actions import services, spreadsheets
from actions.models import Action, PlanImport
from core.exports import csv_bytes, xlsx_bytes
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.partners.factories import GovernanceBodyFactory

pytestmark = pytest.mark.django_db

HEADER = ["Theme code", "Action code", "Title", "Leads", "Start date", "Due date", "Timescale"]


def _xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, plan, content, name="plan.xlsx"):
    return client.post(reverse("actions:import_upload", args=[plan.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def _snapshot(strategy):
    return sorted(
        (a.code, a.theme.code, a.title, a.due_date, a.start_date, a.timescale, a.leading_body_id,
         tuple(sorted(u.email for u in a.leads.all())))
        for a in Action.objects.filter(strategy=strategy).select_related("theme").prefetch_related("leads")
    )


# --- Export -------------------------------------------------------------------------------------------


def test_export_has_one_row_per_action_with_its_latest_status(client, plan, strategist, lead):
    action = ActionFactory(theme=plan.themes.first(), code="1.1", title="Welcome event", leads=[lead],
                           due_date=datetime.date(2026, 10, 31))
    services.action_status_update(by=strategist, action=action, status="green", percent_complete=10,
                                  commentary="Planned.")
    services.action_status_update(by=strategist, action=action, status="amber", percent_complete=30,
                                  commentary="Venue fell through.")
    ActionFactory(theme=plan.themes.last(), code="2.1")
    client.force_login(strategist)

    response = client.get(reverse("actions:export", args=[plan.pk, "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["Action code"] for r in rows] == ["1.1", "2.1"]
    assert rows[0]["Status"] == "Amber – at risk"
    assert rows[0]["Percent complete"] == "30"
    assert rows[0]["Latest commentary"] == "Venue fell through."
    assert rows[0]["Leads"] == "lead@example.org"
    assert rows[0]["Due date"] == "2026-10-31"

    response = client.get(reverse("actions:export", args=[plan.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("Theme code", "Theme", "Action code")
    assert len(values) == 3
    assert values[1][spreadsheets.COLUMNS.index("Due date")].date() == datetime.date(2026, 10, 31)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_a_new_plan_gives_the_same_plan(client, plan, strategist, lead, fmt):
    one, two = plan.themes.order_by("order")
    group = GovernanceBodyFactory(name="Workforce Strategy Group")
    ActionFactory(theme=one, code="1.1", title="Welcome event", leads=[lead, strategist], leading_body=group,
                  start_date=datetime.date(2026, 1, 1), due_date=datetime.date(2026, 10, 31),
                  timescale="Quarterly events throughout the year")
    ActionFactory(theme=one, code="1.10", title="Signs of Safety", timescale="On-going")
    ActionFactory(theme=two, code="2.3", title="Multi-agency audit", due_date=datetime.date(2027, 3, 1))
    copy = StrategyFactory(title="Copy")
    ThemeFactory(strategy=copy, code="1", title="Same aim")
    ThemeFactory(strategy=copy, code="2", title="Other aim")
    client.force_login(strategist)

    exported = client.get(reverse("actions:export", args=[plan.pk, fmt])).content
    response = _upload(client, copy, exported, name=f"plan.{fmt}")
    preview = client.get(response.url)
    assert preview.context["error_count"] == 0
    assert client.post(response.url).status_code == 302

    assert _snapshot(copy) == _snapshot(plan)


def test_text_that_looks_like_a_formula_is_text_in_the_xlsx_without_an_apostrophe(client, plan, strategist):
    ActionFactory(theme=plan.themes.first(), code="1.1", title='=HYPERLINK("http://evil.example","Click")',
                  description="- first bullet")
    client.force_login(strategist)
    content = client.get(reverse("actions:export", args=[plan.pk, "xlsx"])).content
    sheet = load_workbook(io.BytesIO(content)).active
    title = sheet.cell(2, spreadsheets.COLUMNS.index("Title") + 1)
    description = sheet.cell(2, spreadsheets.COLUMNS.index("Description") + 1)
    # A text cell, never a formula, shown as it is written: no stray apostrophe.
    assert (title.data_type, title.value) == ("s", '=HYPERLINK("http://evil.example","Click")')
    assert (description.data_type, description.value) == ("s", "- first bullet")
    rows = spreadsheets.read_rows(filename="plan.xlsx", content=content)
    assert rows[0]["Title"] == '=HYPERLINK("http://evil.example","Click")'
    assert rows[0]["Description"] == "- first bullet"


def test_text_that_looks_like_a_formula_is_kept_as_text_in_the_csv(client, plan, strategist):
    ActionFactory(theme=plan.themes.first(), code="1.1", title='=HYPERLINK("http://evil.example","Click")')
    client.force_login(strategist)
    content = client.get(reverse("actions:export", args=[plan.pk, "csv"])).content
    row = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))[0]
    assert row["Title"] == "'=HYPERLINK(\"http://evil.example\",\"Click\")"  # a spreadsheet shows it as text


# Stored text (stripped, as the services store it) that a formula-minded spreadsheet or the apostrophe rule could
# change on the way out and back.
AWKWARD_TEXT = [
    "=1+1", "+44 20 7946 0000", "-5 days", "@lead", "- first bullet", "'=x", "''=x", "'- quoted bullet",
    "'plain quoted", "''", "'", "It's =fine", "=", "=HYPERLINK(\"http://evil.example\",\"Click\")", "Line one\n-two",
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_every_awkward_text_exactly(client, plan, strategist, fmt):
    theme = plan.themes.first()
    for index, text in enumerate(AWKWARD_TEXT, start=1):
        ActionFactory(theme=theme, code=f"1.{index}", title=text, description=text, timescale=text[:200])
    client.force_login(strategist)
    content = client.get(reverse("actions:export", args=[plan.pk, fmt])).content
    rows = spreadsheets.read_rows(filename=f"plan.{fmt}", content=content)
    by_code = {row["Action code"]: row for row in rows}
    for index, text in enumerate(AWKWARD_TEXT, start=1):
        row = by_code[f"1.{index}"]
        assert (row["Title"], row["Description"], row["Timescale"]) == (text, text, text), text
    # and importing the file back changes nothing
    response = _upload(client, plan, content, name=f"plan.{fmt}")
    preview = client.get(response.url)
    assert preview.context["unchanged"] == len(AWKWARD_TEXT), [r["changes"] for r in preview.context["rows"]]


# Text as the services store it: stripped, without control characters (a workbook cannot hold them).
stored_text = st.text(st.characters(blacklist_categories=["Cs", "Cc", "Cn", "Co"]) | st.sampled_from("'=+-@ "),
                      max_size=12).map(str.strip)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(stored_text, min_size=1, max_size=5))
def test_every_text_survives_the_csv_and_the_xlsx_exactly(texts):
    """The apostrophe rule round-trips whatever the text: each file is written as the export writes it
    (core.exports), and read by the import's reader."""
    header = ["Theme code", "Action code", "Title"]
    rows = [["1", f"1.{index}", text] for index, text in enumerate(texts)]
    from_csv = spreadsheets.read_rows(filename="p.csv", content=csv_bytes(header, rows))
    from_xlsx = spreadsheets.read_rows(filename="p.xlsx", content=xlsx_bytes(title="Actions", header=header, rows=rows))
    assert [row["Title"] for row in from_csv] == texts
    assert [row["Title"] for row in from_xlsx] == texts


def test_reimporting_updates_in_place_and_adds_no_history_when_nothing_changed(client, plan, strategist):
    action = ActionFactory(theme=plan.themes.first(), code="1.1", title="Old title")
    client.force_login(strategist)
    history_before = action.history.count()

    unchanged = client.get(reverse("actions:export", args=[plan.pk, "xlsx"])).content
    response = _upload(client, plan, unchanged)
    client.post(response.url)
    assert action.history.count() == history_before

    response = _upload(client, plan, _xlsx([["1", "1.1", "New title", "", "", "2026-12-31", ""]]))
    assert client.get(response.url).context["updates"] == 1
    client.post(response.url)
    action.refresh_from_db()
    assert (action.title, action.due_date) == ("New title", datetime.date(2026, 12, 31))
    assert Action.objects.filter(strategy=plan).count() == 1


# --- Import: every bad-row kind, nothing written -------------------------------------------------------


@pytest.mark.parametrize("row, column, message", [
    (["9", "1.1", "Event", "", "", "", ""], "Theme code", "Unknown theme 9"),
    (["1", "1.1", "Event", "nobody@example.org", "", "", ""], "Leads", "Unknown lead nobody@example.org"),
    (["1", "1.1", "Event", "", "", "31/31/2026", ""], "Due date", "Bad date '31/31/2026'"),
    (["1", "1.1", "Event", "", "next spring", "", ""], "Start date", "Bad date 'next spring'"),
    (["1", "1.2", "Event", "", "", "", ""], "Action code", "Duplicate action code 1.2 (also on row 2)"),
    (["1", "", "Event", "", "", "", ""], "Action code", "Action code is missing"),
])
def test_a_bad_row_is_reported_and_nothing_is_written(client, plan, strategist, lead, row, column, message):
    existing = ActionFactory(theme=plan.themes.first(), code="1.5", title="Keep me")
    good = ["1", "1.2", "Fine", "lead@example.org", "2026-01-01", "2026-06-30", "On-going"]
    client.force_login(strategist)

    response = _upload(client, plan, _xlsx([good, row]))
    preview = client.get(response.url)
    assert preview.status_code == 200
    errors = [e for r in preview.context["rows"] for e in r["errors"]]
    assert {"row": 3, "column": column, "message": message} == {**errors[0], "message": errors[0]["message"][
        :len(message)]}
    assert "Nothing has been imported" in preview.text
    assert "Import 2 actions" not in preview.text

    # Confirming anyway (a crafted POST) writes nothing.
    client.post(response.url)
    assert list(Action.objects.filter(strategy=plan).values_list("code", "title")) == [("1.5", "Keep me")]
    existing.refresh_from_db()
    assert PlanImport.objects.get().applied_at is None


def test_an_unknown_leading_group_is_a_row_error_and_a_known_one_is_linked(client, plan, strategist):
    GovernanceBodyFactory(name="Workforce Strategy Group")
    header = ["Theme code", "Action code", "Title", "Leading group"]
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Event", "Board of Nowhere"]], header=header))
    errors = client.get(response.url).context["rows"][0]["errors"]
    assert errors[0]["column"] == "Leading group" and errors[0]["message"].startswith("Unknown group Board of Nowhere")
    response = _upload(client, plan, _xlsx([["1", "1.1", "Event", "workforce strategy group"]], header=header))
    client.post(response.url)
    assert Action.objects.get(strategy=plan, code="1.1").leading_body.name == "Workforce Strategy Group"


def test_every_error_in_the_file_is_listed_not_just_the_first(client, plan, strategist):
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([
        ["9", "1.1", "Event", "ghost@example.org", "", "soon", ""],
        ["1", "1.1", "", "", "", "", ""],
    ]))
    errors = PlanImport.objects.get(pk=int(response.url.rstrip("/").split("/")[-1])).errors
    assert {(e["row"], e["column"]) for e in errors} == {
        (2, "Theme code"), (2, "Leads"), (2, "Due date"), (3, "Title"), (3, "Action code")}


def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field(client, plan, strategist):
    client.force_login(strategist)
    response = _upload(client, plan, b"MZ\x90\x00", name="plan.exe")
    assert response.status_code == 200
    assert "Upload the plan as a Word .docx (its table), or as a .xlsx or .csv file" in (
        response.context["form"].errors["file"][0])
    response = _upload(client, plan, b"not really excel", name="plan.xlsx")
    assert "could not be read as an Excel workbook" in response.context["form"].errors["file"][0]
    response = _upload(client, plan, _xlsx([], header=["Code", "Name"]))
    assert "missing: Title (the action itself)" in response.context["form"].errors["file"][0]
    assert not PlanImport.objects.exists()


def test_a_confirmed_import_cannot_be_applied_twice(client, plan, strategist):
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Event", "", "", "", ""]]))
    client.post(response.url)
    client.post(response.url)
    assert Action.objects.filter(strategy=plan).count() == 1
    assert "already been imported" in client.post(response.url, follow=True).text


def test_someone_elses_import_preview_is_a_404(client, plan, strategist, make_user):
    from core.roles import Role

    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Event", "", "", "", ""]]))
    client.force_login(make_user(Role.STRATEGY_GROUP_MEMBER))
    assert client.post(response.url).status_code == 404
    assert not Action.objects.exists()


def test_dates_from_excel_cells_and_day_first_text_are_read(plan, strategist):
    rows = spreadsheets.read_rows(filename="p.xlsx", content=_xlsx([
        ["1", "1.1", "A", "", datetime.datetime(2026, 2, 3), "03/04/2026", ""],
    ]))
    fields, errors = spreadsheets.resolve_rows(strategy=plan, rows=rows)
    assert errors == []
    assert (fields[0].start_date, fields[0].due_date) == (datetime.date(2026, 2, 3), datetime.date(2026, 4, 3))


# --- Import: only the columns the file has ----------------------------------------------------------------


def _full_action(plan, lead):
    group = GovernanceBodyFactory(name="Workforce Strategy Group")
    return ActionFactory(
        theme=plan.themes.first(), code="1.1", title="Welcome event", description="Four events a year.",
        leads=[lead], leading_body=group, start_date=datetime.date(2026, 1, 1), due_date=datetime.date(2026, 10, 31),
        timescale="Quarterly", priorities="4a", performance_measures="Attendance.",
    )


def _fields(action):
    action.refresh_from_db()
    return (action.title, action.description, [u.email for u in action.leads.all()], action.leading_body.name,
            action.start_date, action.due_date, action.timescale, action.priorities, action.performance_measures)


def test_an_import_with_only_the_required_columns_changes_only_those(client, plan, strategist, lead):
    action = _full_action(plan, lead)
    before = _fields(action)
    client.force_login(strategist)
    header = ["Theme code", "Action code", "Title"]

    response = _upload(client, plan, _xlsx([["1", "1.1", "Welcome event"], ["2", "2.1", "New one"]], header=header))
    preview = client.get(response.url)
    rows = {r["code"]: r for r in preview.context["rows"]}
    assert (rows["1.1"]["change"], rows["1.1"]["changes"]) == ("unchanged", [])
    assert rows["2.1"]["change"] == "create"
    assert "1 new action, 0 to update, 1 unchanged" in preview.text
    assert "Unchanged" in preview.text
    response = client.post(response.url, follow=True)
    assert "Imported: 1 new, 0 updated, 1 unchanged." in response.text
    assert _fields(action) == before  # leads, group, dates, description... all kept

    response = _upload(client, plan, _xlsx([["1", "1.1", "Welcome events"]], header=header))
    preview = client.get(response.url)
    assert preview.context["rows"][0]["changes"] == [("Title", "Welcome event", "Welcome events")]
    assert "Title: Welcome event → Welcome events" in preview.text
    assert "Imported: 0 new, 1 updated, 0 unchanged." in client.post(response.url, follow=True).text
    assert _fields(action) == ("Welcome events", *before[1:])


def test_a_column_in_the_file_but_empty_clears_that_field_and_the_preview_says_so(client, plan, strategist, lead):
    action = _full_action(plan, lead)
    client.force_login(strategist)
    header = ["Theme code", "Action code", "Title", "Leads", "Due date"]
    response = _upload(client, plan, _xlsx([["1", "1.1", "Welcome event", "", ""]], header=header))
    preview = client.get(response.url)
    assert preview.context["rows"][0]["changes"] == [("Leads", "lead@example.org", "(none)"),
                                                     ("Due date", "31 Oct 2026", "(empty)")]
    assert "Due date: 31 Oct 2026 → (empty)" in preview.text
    client.post(response.url)
    action.refresh_from_db()
    assert (list(action.leads.all()), action.due_date, action.description) == ([], None, "Four events a year.")


def test_a_due_date_before_the_actions_own_start_is_a_row_error_when_the_file_has_no_start(client, plan, strategist,
                                                                                         lead):
    action = _full_action(plan, lead)  # starts 1 Jan 2026
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Welcome event", "2025-12-01"]],
                                           header=["Theme code", "Action code", "Title", "Due date"]))
    errors = client.get(response.url).context["rows"][0]["errors"]
    assert errors[0]["message"] == "The due date (1 Dec 2025) is before the start date (1 Jan 2026)."
    client.post(response.url)
    action.refresh_from_db()
    assert action.due_date == datetime.date(2026, 10, 31)


def test_reimporting_an_unchanged_export_counts_every_action_unchanged(client, plan, strategist, lead):
    _full_action(plan, lead)
    ActionFactory(theme=plan.themes.last(), code="2.1", description="Line one\r\nLine two")  # as a browser sends it
    client.force_login(strategist)
    for fmt in ("csv", "xlsx"):
        content = client.get(reverse("actions:export", args=[plan.pk, fmt])).content
        response = _upload(client, plan, content, name=f"plan.{fmt}")
        assert [r["change"] for r in client.get(response.url).context["rows"]] == ["unchanged", "unchanged"]
        assert "Imported: 0 new, 0 updated, 2 unchanged." in client.post(response.url, follow=True).text


# --- Import: people who have left, groups that have ended ---------------------------------------------------


def test_a_lead_who_has_left_stays_on_their_action_through_export_and_import(client, plan, strategist, lead,
                                                                             make_user):
    from workforce.services import person_leave

    action = _full_action(plan, lead)
    ActionFactory(theme=plan.themes.first(), code="1.2", title="Other")
    person_leave(person=lead, left_on=datetime.date(2026, 5, 1), by=strategist)
    client.force_login(strategist)
    content = client.get(reverse("actions:export", args=[plan.pk, "xlsx"])).content
    response = _upload(client, plan, content)
    assert client.get(response.url).context["error_count"] == 0
    client.post(response.url)
    assert list(action.leads.all()) == [lead]

    # ...but is not named on another action.
    response = _upload(client, plan, _xlsx([["1", "1.2", "Other", "lead@example.org", "", "", ""]]))
    errors = client.get(response.url).context["rows"][0]["errors"]
    assert errors == [{"row": 2, "column": "Leads",
                       "message": "Lena Lead (lead@example.org) has left the partnership: name someone else as lead."}]


def test_a_group_that_has_ended_stays_on_its_action_but_is_not_named_anew(client, plan, strategist, lead):
    action = _full_action(plan, lead)
    ActionFactory(theme=plan.themes.first(), code="1.2", title="Other")
    action.leading_body.end_date = datetime.date(2025, 3, 31)
    action.leading_body.start_date = datetime.date(2020, 1, 1)
    action.leading_body.save()
    header = ["Theme code", "Action code", "Title", "Leading group"]
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Welcome event", "Workforce Strategy Group"],
                                            ["1", "1.2", "Other", "Workforce Strategy Group"]], header=header))
    errors = [e for r in client.get(response.url).context["rows"] for e in r["errors"]]
    assert errors == [{"row": 3, "column": "Leading group",
                       "message": "Workforce Strategy Group ended on 31 Mar 2025: choose a group that still meets."}]


def test_the_preview_counts_rows_with_problems_apart_from_what_the_others_would_do(client, plan, strategist):
    client.force_login(strategist)
    header = ["Theme code", "Action code", "Title"]
    rows = [["1", "1.1", "Welcome event"], ["9", "9.1", "No such theme"], ["", "2.2", "No theme at all"]]
    preview = client.get(_upload(client, plan, _xlsx(rows, header=header)).url)
    assert "3 rows: 2 with problems; of the others, 1 new action, 0 to update, 0 unchanged." in preview.text
    assert "Nothing has been imported" in preview.text
