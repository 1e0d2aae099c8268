import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from actions import services, spreadsheets
from actions.models import Action, PlanImport
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


def test_text_that_looks_like_a_formula_is_exported_as_text_and_imported_back(client, plan, strategist):
    ActionFactory(theme=plan.themes.first(), code="1.1", title='=HYPERLINK("http://evil.example","Click")',
                  description="- first bullet")
    client.force_login(strategist)
    content = client.get(reverse("actions:export", args=[plan.pk, "xlsx"])).content
    cell = load_workbook(io.BytesIO(content)).active.cell(2, spreadsheets.COLUMNS.index("Title") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=")
    rows = spreadsheets.read_rows(filename="plan.xlsx", content=content)
    assert rows[0]["Title"] == '=HYPERLINK("http://evil.example","Click")'
    assert rows[0]["Description"] == "- first bullet"


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
    assert "Upload the plan as a .xlsx or .csv file" in response.context["form"].errors["file"][0]
    response = _upload(client, plan, b"not really excel", name="plan.xlsx")
    assert "could not be read as an Excel workbook" in response.context["form"].errors["file"][0]
    response = _upload(client, plan, _xlsx([], header=["Code", "Name"]))
    assert "missing: Theme code, Action code, Title" in response.context["form"].errors["file"][0]
    assert not PlanImport.objects.exists()


def test_a_confirmed_import_cannot_be_applied_twice(client, plan, strategist):
    client.force_login(strategist)
    response = _upload(client, plan, _xlsx([["1", "1.1", "Event", "", "", "", ""]]))
    client.post(response.url)
    client.post(response.url)
    assert Action.objects.filter(strategy=plan).count() == 1
    assert "already been imported" in client.post(response.url, follow=True).text


def test_someone_elses_import_preview_is_a_404(client, plan, strategist, make_user):
    from workforce.permissions import Role

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
