"""An organisation lead imports staff in headless Chromium: a file with errors, then the corrected file,
then finds the new people on the dashboard. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from tests.workforce.conftest import person_row, staff_csv
from workforce.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(rows):
    return {"name": "hr-export.csv", "mimeType": "text/csv", "buffer": staff_csv(rows)}


def test_lead_imports_a_corrected_file_and_finds_the_people_on_the_dashboard(
    page, nav_to, lead, sign_in, assert_accessible
):
    bad = [person_row(1), person_row(2, email="not-an-email"), person_row(3, cts_band="9")]
    good = [person_row(1), person_row(2), person_row(3, cts_band="4", line_manager_email="lead@council.example")]

    sign_in(page, lead)
    assert_accessible(page)
    nav_to(page, "Staff")
    assert page.get_by_role("heading", level=1).inner_text() == "Staff"
    assert_accessible(page)
    page.get_by_role("link", name="Import staff").click()
    assert_accessible(page)

    page.get_by_label("Staff file (CSV or Excel .xlsx)").set_input_files(_file(bad))
    page.get_by_role("button", name="Upload and preview").click()
    summary = page.locator("#error-summary")
    assert "nothing has been imported" in summary.inner_text()
    assert "2 of 3 rows have problems" in summary.inner_text()
    problems = page.locator(".import-rows").inner_text()
    assert "“not-an-email” is not an email address." in problems
    assert "“9” is not a Core Training Standard band" in problems
    assert_accessible(page)
    assert not User.objects.filter(email__startswith="new.person").exists()

    page.get_by_label("Staff file (CSV or Excel .xlsx)").set_input_files(_file(good))
    page.get_by_role("button", name="Upload and preview").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check the import of hr-export.csv"
    assert "Every row is valid. Nothing has changed yet" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the import").click()
    assert "Import done: 3 new, 0 updated, 0 unchanged." in page.locator(".messages").inner_text()
    assert "new.person3@council.example" in page.locator("main").inner_text()
    assert_accessible(page)

    nav_to(page, "Workforce dashboard")
    main = page.locator("main")
    assert "4 people" in main.inner_text()  # the lead (band 3) and the three new people
    band_table = page.get_by_role("table", name="Headcount by Core Training Standard band (the chart's figures)")
    expect(band_table.get_by_role("row", name="Band 3 3")).to_be_visible()
    expect(band_table.get_by_role("row", name="Band 4 1")).to_be_visible()
    assert_accessible(page)
