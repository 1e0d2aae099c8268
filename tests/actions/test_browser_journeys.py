"""Journeys in headless Chromium; axe-core finds no violations on any page visited."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from actions import services
from actions.models import Strategy
from core.roles import Role
from tests.actions.factories import ActionFactory, MilestoneFactory, StrategyFactory, ThemeFactory

from . import report_fixtures

quarter_data = report_fixtures.quarter_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def live_plan(make_user):
    strategy = StrategyFactory(title="Workforce Action Plan 2026-27", status=Strategy.Status.ACTIVE)
    one = ThemeFactory(strategy=strategy, code="1", title="A confident and competent workforce", order=1)
    two = ThemeFactory(strategy=strategy, code="2", title="Supported early help", order=2)
    return strategy, one, two


def _import_checked(page, strategy, rows: list[list[str]], assert_accessible=None) -> str:
    """Upload these rows as a workbook on the plan's import page, as a person would, and check it: the text of
    the preview (or the errors) that comes back."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    page.goto(f"/plan/strategies/{strategy.pk}/import/")
    if assert_accessible:
        assert_accessible(page)
    page.get_by_label("Plan file").set_input_files(
        [{"name": "plan.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}]
    )
    page.get_by_role("button", name="Check the file").click()
    return page.locator("main").inner_text()


def test_a_strategy_group_member_posts_an_amber_update_on_an_overdue_action(
    page, make_user, sign_in, assert_accessible, live_plan
):
    strategy, one, two = live_plan
    member = make_user(Role.STRATEGY_GROUP_MEMBER, first_name="Sam", last_name="Adeyemi")
    lead = make_user(Role.PRACTITIONER, first_name="Grace", last_name="Whitfield")
    overdue = ActionFactory(theme=one, code="1.1", title="Roll out Signs of Safety in full", leads=[lead],
                            due_date=datetime.date.today() - datetime.timedelta(days=10))
    services.action_status_update(by=member, action=overdue, status="green", percent_complete=30,
                                  commentary="Refresher sessions commissioned.")
    MilestoneFactory(action=overdue, title="Identify staff trained before 2024")
    ActionFactory(theme=two, code="2.1", title="Early Help Assessment training",
                  due_date=datetime.date.today() + datetime.timedelta(days=60))

    sign_in(page, member)
    assert_accessible(page)  # home, with the plan panels
    page.get_by_role("link", name="Action plan", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Workforce Action Plan 2026-27"
    assert_accessible(page)

    page.get_by_role("link", name="Overdue (1)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Actions"
    assert page.get_by_label("Overdue only").is_checked()
    assert "1 action" in page.locator("main").inner_text()
    assert "Early Help Assessment training" not in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Roll out Signs of Safety in full").click()
    assert page.get_by_role("heading", level=1).inner_text() == "1.1 Roll out Signs of Safety in full"
    assert_accessible(page)

    page.get_by_label("Amber – at risk").check()
    page.get_by_label("Percent complete").fill("45")
    page.get_by_label("Commentary").fill("Two sessions moved to January: trainer illness.")
    page.get_by_label("Evidence files").set_input_files(
        [{"name": "attendance.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Post update").click()

    assert "Your update on 1.1 is saved." in page.locator(".messages").inner_text()
    first = page.locator("ol.timeline > li").first
    assert "Amber – at risk" in first.inner_text()
    assert "45%" in first.inner_text()
    assert "Two sessions moved to January: trainer illness." in first.inner_text()
    assert "Sam Adeyemi" in first.inner_text()
    expect(first.get_by_role("link", name="attendance.pdf")).to_be_visible()
    assert_accessible(page)


def test_a_bad_upload_is_explained_next_to_the_field(page, make_user, sign_in, assert_accessible, live_plan):
    strategy, one, _ = live_plan
    lead = make_user(Role.PRACTITIONER)
    action = ActionFactory(theme=one, code="1.2", title="Mental Capacity Act training", leads=[lead])
    sign_in(page, lead)
    page.goto(f"/plan/actions/{action.pk}/")
    page.get_by_label("Red – off track").check()
    page.get_by_label("Commentary").fill("Venue lost.")
    page.get_by_label("Evidence files").set_input_files(
        [{"name": "setup.exe", "mimeType": "application/octet-stream", "buffer": b"MZ\x90\x00"}]
    )
    page.get_by_role("button", name="Post update").click()
    assert "There is a problem" in page.locator("#error-summary").inner_text()
    assert "“setup.exe” is not a type we accept" in page.locator("#error-summary").inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)


def test_a_lead_sees_only_their_own_actions_under_my_actions(page, nav_to, make_user, sign_in, assert_accessible,
                                                            live_plan):
    strategy, one, two = live_plan
    lead = make_user(Role.PRACTITIONER, first_name="Priya")
    other = make_user(Role.PRACTITIONER)
    ActionFactory(theme=one, code="1.3", title="Run a quarterly welcome event", leads=[lead, other],
                  timescale="Quarterly events throughout the year")
    ActionFactory(theme=two, code="2.2", title="Lead Professional refresher", leads=[lead],
                  due_date=datetime.date.today() + datetime.timedelta(days=20))
    ActionFactory(theme=two, code="2.3", title="Somebody else's action", leads=[other])

    sign_in(page, lead)
    assert_accessible(page)
    nav_to(page, "My actions")
    assert page.get_by_role("heading", level=1).inner_text() == "My actions"
    text = page.locator("main").inner_text()
    assert "Run a quarterly welcome event" in text
    assert "Lead Professional refresher" in text
    assert "Somebody else's action" not in text
    assert_accessible(page)


def test_plan_editing_and_import_pages_are_accessible(page, make_user, sign_in, assert_accessible, live_plan):
    strategy, one, _ = live_plan
    member = make_user(Role.STRATEGY_GROUP_MEMBER)
    action = ActionFactory(theme=one, code="1.1", title="Welcome event")
    archived_theme = ThemeFactory(strategy=StrategyFactory(title="Strategy 2010-14", status=Strategy.Status.ARCHIVED))
    ActionFactory(theme=archived_theme, code="1.1", title="Old action")
    sign_in(page, member)
    for url in ["/plan/strategies/", f"/plan/strategies/{strategy.pk}/edit/", f"/plan/actions/{action.pk}/edit/",
                f"/plan/actions/{action.pk}/milestones/new/", f"/plan/strategies/{strategy.pk}/themes/new/",
                f"/plan/strategies/{archived_theme.strategy_id}/"]:
        page.goto(url)
        assert_accessible(page)

    text = _import_checked(page, strategy, [["Theme code", "Action code", "Title", "Leads", "Due date"],
                                            ["1", "1.2", "Signs of Safety", "nobody@example.org", "31/02/2027"],
                                            ["7", "1.3", "Unknown theme", "", ""]], assert_accessible)  # fmt: skip
    assert "Nothing has been imported" in text
    assert "Unknown lead nobody@example.org" in text
    assert "Bad date '31/02/2027'" in text
    assert "Unknown theme 7" in text
    assert page.get_by_role("button", name="Import").count() == 0
    assert_accessible(page)


@pytest.fixture
def report_worker():
    """start(): a real Celery worker from then on (the report waits queued until it starts)."""
    from contextlib import ExitStack

    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    app.control.purge()
    with ExitStack() as stack:
        yield lambda: stack.enter_context(start_worker(app, pool="solo", perform_ping_check=False,
                                                       shutdown_timeout=20))
    app.conf.task_always_eager = True


def test_a_board_report_is_generated_watched_to_the_end_and_downloaded_by_the_board(
    page, make_user, sign_in, assert_accessible, quarter_data, report_worker
):
    import hashlib

    from actions.models import BoardReport

    strategist = quarter_data["strategist"]
    board_member = make_user(Role.BOARD_MEMBER, email="board.member@example.org")
    practitioner = make_user(Role.PRACTITIONER, email="practitioner@example.org")

    sign_in(page, strategist)
    page.get_by_role("link", name="Board reports").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Quarterly Board reports"
    assert_accessible(page)
    page.get_by_role("link", name="Generate a report").click()
    assert_accessible(page)
    page.get_by_label("Quarter").select_option(label="Q4 2025/26: January to March 2026")
    page.get_by_label("Recommendations").fill("That the Board notes progress.")
    page.get_by_label("Author").fill("Ada Author, Workforce Development")
    page.get_by_role("button", name="Generate the report").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Q4 2025/26 Board report")
    page.evaluate("window.notReloaded = true")  # gone if the page reloads
    status = page.locator("[data-report-status-url] [role=status]")
    label = status.locator("[data-report-status-label]")
    assert label.inner_text() == "Queued"
    assert "waiting for the report worker" in status.inner_text()
    assert page.get_by_role("link", name="Download the report (PDF)").count() == 0
    assert_accessible(page)
    report_worker()  # the worker comes free: the page follows it without being reloaded
    page.get_by_role("link", name="Download the report (PDF)").wait_for(state="visible", timeout=180_000)
    assert label.inner_text() == "Ready"
    assert "ready to download" in status.inner_text()
    report = BoardReport.objects.get()
    # What a reload would show, without one: the file's size and checksum, and Regenerate.
    expect(page.get_by_text(report.sha256)).to_be_visible()
    expect(page.get_by_role("button", name="Regenerate as version 2")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, board_member)
    expect(page.get_by_role("heading", name="Quarterly Board reports")).to_be_visible()  # the home page panel
    assert_accessible(page)
    page.get_by_role("link", name="Board reports").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 1 of the Q4 2025/26 report (PDF, ").click()
    path = download.value.path()
    content = Path(path).read_bytes()
    assert download.value.suggested_filename == "board-report-Q4-2025-26-v1.pdf"
    assert hashlib.sha256(content).hexdigest() == report.sha256
    page.get_by_role("link", name="details of version 1 of the Q4 2025/26 report").click()
    assert page.get_by_role("button", name="Regenerate as version 2").count() == 0  # the Board changes nothing
    assert_accessible(page)

    _board_reports_are_not_a_practitioners(page, sign_in, assert_accessible, practitioner, report)


def _board_reports_are_not_a_practitioners(page, sign_in, assert_accessible, practitioner, report):
    page.context.clear_cookies()
    sign_in(page, practitioner)
    assert page.get_by_role("link", name="Board reports").count() == 0
    response = page.goto("/plan/reports/")
    assert response.status == 404
    assert_accessible(page)
    assert page.goto(f"/plan/reports/{report.pk}/download/").status == 404


def test_a_long_evidence_link_wraps_inside_the_timeline(page, make_user, sign_in, live_plan):
    strategy, one, _ = live_plan
    member = make_user(Role.STRATEGY_GROUP_MEMBER)
    action = ActionFactory(theme=one, code="1.4", title="Apprenticeships", leads=[member])
    link = "https://example.org/intranet/workforce/evidence/" + "x" * 450
    services.action_status_update(by=member, action=action, status="green", percent_complete=10,
                                  commentary="Standards chosen.", links=[link])
    sign_in(page, member)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/plan/actions/{action.pk}/")
    anchor = page.locator("a.evidence-link")
    timeline = page.locator("ol.timeline").bounding_box()
    box = anchor.bounding_box()
    assert box["x"] + box["width"] <= timeline["x"] + timeline["width"] + 1  # wrapped, not across the page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_import_preview_says_what_changes_and_a_milestone_is_removed_after_asking(
    page, make_user, sign_in, assert_accessible, live_plan
):
    strategy, one, _ = live_plan
    member = make_user(Role.STRATEGY_GROUP_MEMBER)
    lead = make_user(Role.PRACTITIONER, email="grace@example.org")
    action = ActionFactory(theme=one, code="1.1", title="Welcome event", leads=[lead],
                           due_date=datetime.date(2026, 10, 31))
    ActionFactory(theme=one, code="1.2", title="Signs of Safety")
    MilestoneFactory(action=action, title="Book the venue")
    sign_in(page, member)
    text = _import_checked(page, strategy, [["Theme code", "Action code", "Title"],
                                            ["1", "1.1", "Quarterly welcome event"], ["1", "1.2", "Signs of Safety"]])
    assert "0 new actions, 1 to update, 1 unchanged" in text
    assert "Title: Welcome event → Quarterly welcome event" in text
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 actions").click()
    assert "Imported: 0 new, 1 updated, 1 unchanged." in page.locator(".messages").inner_text()

    page.goto(f"/plan/actions/{action.pk}/")
    assert str(lead) in page.locator("main").inner_text()  # the leads were not in the file: kept
    page.get_by_role("link", name="Edit milestone Book the venue").click()
    page.get_by_role("link", name="Remove this milestone").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Remove this milestone?"
    assert_accessible(page)
    page.get_by_role("button", name="Remove the milestone").click()
    assert "is removed" in page.locator(".messages").inner_text()
    assert "Milestone removed: Book the venue" in page.locator("ol.timeline").inner_text()
