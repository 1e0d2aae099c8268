"""An administrator answers a subject access request and anonymises a leaver, in headless Chromium,
with axe-core on every page visited."""

import json
from pathlib import Path

import pytest

from workforce.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_exports_and_anonymises_a_leaver(page, admin, olwen, sign_in, assert_accessible, nav_to):
    sign_in(page, admin)
    nav_to(page, "Staff")  # under "Manage" since the navigation moved others' records there
    page.get_by_role("link", name="Olwen Trevelyan").click()
    page.get_by_role("link", name="Data protection: export or anonymise").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Olwen Trevelyan"
    assert "What the portal holds about Olwen Trevelyan" in page.locator("caption").first.inner_text()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["person"]["email"] == olwen.user.email
    assert document["sections"]["bookings"]["records"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    page.reload()
    assert "Exported their data (PDF)" in page.locator("main").inner_text()

    page.get_by_role("link", name="Anonymise Olwen Trevelyan").click()
    assert "still an active member of staff" in page.get_by_role("note").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Anonymise Olwen Trevelyan").click()
    assert "Tick the box" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Anonymise Olwen Trevelyan").click()
    pk = olwen.user.pk
    assert f"they are now “Former staff member {pk}” and cannot sign in" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == f"Former staff member {pk}"
    assert_accessible(page)
    assert User.objects.get(pk=pk).is_anonymised

    nav_to(page, "Data protection")
    page.get_by_label("Name or email address").fill("former staff")
    page.get_by_role("button", name="Find").click()
    assert "Anonymised" in page.get_by_role("table").first.inner_text()
    assert_accessible(page)

    _retention_and_audit_log(page, assert_accessible, pk)


def _retention_and_audit_log(page, assert_accessible, pk):
    page.get_by_role("link", name="Retention periods").click()
    page.get_by_label("Notifications sent (deleted), in months").fill("1")
    page.get_by_role("button", name="Save retention periods").click()
    assert "greater than or equal to 3" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Notifications sent (deleted), in months").fill("18")
    page.get_by_role("button", name="Save retention periods").click()
    assert "Retention periods saved (1 changed)." in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Run the retention job now").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Retention run log"
    assert "18 months" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("About (name or email)").fill(f"Former staff member {pk}")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table").inner_text()
    assert "Anonymised" in table and "Trevelyan" not in table
    assert_accessible(page)


def test_the_leaving_date_field_shows_today_and_a_wrong_year_is_explained(page, admin, olwen, sign_in,
                                                                        assert_accessible):  # fmt: skip
    """Chromium's date field takes only YYYY-MM-DD: with "03/12/2026" it showed nothing."""
    from django.utils import timezone

    from workforce.models import StaffProfile

    StaffProfile.objects.filter(user=olwen.user).update(start_date="2020-09-01")
    sign_in(page, admin)
    page.goto(f"/data-protection/people/{olwen.user.pk}/")
    field = page.get_by_label("Left on")
    assert field.input_value() == f"{timezone.localdate():%Y-%m-%d}"
    field.fill("1900-01-01")
    page.get_by_role("button", name="Record as a leaver").click()
    assert "cannot be more than 6 years ago" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Left on").fill("2026-03-31")
    page.get_by_role("button", name="Record as a leaver").click()
    status = page.get_by_role("status").inner_text()
    assert "recorded as having left on 31 March 2026" in status and "The retention job will anonymise them" in status
    assert_accessible(page)
