"""Every people page reached from the navigation, axe-clean, in headless Chromium."""

from datetime import date

import pytest

from core.roles import Role
from tests.partners.factories import GovernanceBodyFactory, GovernanceMembershipFactory
from tests.workforce.factories import DesignatedRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_walks_the_people_pages(page, nav_to, make_user, council, nursery, sign_in, assert_accessible):
    admin = make_user(Role.ADMINISTRATOR, profile={"organisation": council})
    person = make_user(first_name="Nia", last_name="Holder", profile={"organisation": nursery, "cts_band": 4})
    DesignatedRoleFactory(person=person, organisation=nursery, start_date=date(2023, 1, 1))
    sign_in(page, admin)

    nav_to(page, "Workforce dashboard")
    assert page.locator("svg[role=img]").count() >= 5
    assert_accessible(page)

    nav_to(page, "Staff")
    page.get_by_label("Band").select_option("4")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Nia Holder").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nia Holder"
    assert_accessible(page)

    page.get_by_role("link", name="Record a designated role").click()
    page.get_by_label("Designated role").select_option(label="Trainer")
    page.get_by_label("From").fill("2025-01-01")
    page.get_by_label("Until").fill("2024-01-01")
    page.get_by_role("button", name="Record the role").click()
    assert "The end date must be on or after the start date." in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Until").fill("")
    page.get_by_role("button", name="Record the role").click()
    assert "Nia Holder is recorded as Trainer." in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page)
    nav_to(page, "Staff")
    page.get_by_role("link", name="Designated roles and gaps").click()
    assert "organisation with no current Designated Safeguarding Officer" in page.locator("main").inner_text()
    assert_accessible(page)


def test_practitioner_reads_the_partnership_and_keeps_their_profile(page, nav_to, make_user, council, sign_in,
                                                                     assert_accessible):  # fmt: skip
    board = GovernanceBodyFactory(name="Children's Partnership Board")
    GovernanceMembershipFactory(body=board, external_name="Helen Marsh", role="Chair")
    me = make_user(Role.PRACTITIONER, profile={"organisation": council})
    sign_in(page, me)

    nav_to(page, "Partnership")
    assert_accessible(page)
    page.get_by_role("link", name="Children's Partnership Board").first.click()
    assert "Helen Marsh" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Governance bodies").click()
    assert_accessible(page)
    nav_to(page, "Partnership")
    page.get_by_role("link", name="All partner organisations").click()
    assert_accessible(page)
    page.get_by_role("link", name=council.name).click()
    assert_accessible(page)
    page.get_by_role("link", name=council.sector.name).click()
    assert_accessible(page)

    nav_to(page, "Directory")
    page.get_by_label("Name or job title").fill(me.last_name)
    page.get_by_role("button", name="Search").click()
    assert me.full_name in page.locator("main").inner_text()
    assert_accessible(page)

    nav_to(page, "My account")
    page.get_by_role("link", name="Your staff profile").click()
    page.get_by_label("Line manager's email address").fill("nobody@nowhere.example")
    page.get_by_role("button", name="Save my profile").click()
    assert f"No one in {council.name} on the portal has this email address." in (
        page.locator("#error-summary").inner_text()
    )
    assert_accessible(page)


def test_the_new_messages_are_axe_clean(page, live_server, make_user, council, nursery, sign_in, assert_accessible):
    """Review of issue 3: a filter's error on the staff list, a row out of shape in an import, and an import
    preview that says whose designated roles end with a move."""
    from tests.workforce.conftest import person_row, staff_csv

    admin = make_user(Role.ADMINISTRATOR, profile={"organisation": council})
    mover = make_user(email="mover@nursery.example", first_name="Mo", last_name="Ver",
                      profile={"organisation": nursery})
    DesignatedRoleFactory(person=mover, organisation=nursery, start_date=date(2023, 1, 1))
    sign_in(page, admin)

    page.goto(f"{live_server.url}/people/staff/?cts_band=abc")
    assert "Select a valid choice." in page.locator("#error-summary").inner_text()
    assert_accessible(page)

    lines = staff_csv([person_row(1)]).decode().splitlines()
    lines[1] += ",surplus"
    page.goto(f"{live_server.url}/people/import/")
    page.get_by_label("Staff file (CSV or Excel .xlsx)").set_input_files(
        {"name": "shape.csv", "mimeType": "text/csv", "buffer": "\r\n".join(lines).encode()}
    )
    page.get_by_role("button", name="Upload and preview").click()
    assert "the whole row" in page.locator("table.import-rows").inner_text()
    assert_accessible(page)

    row = person_row(1, email="mover@nursery.example", first_name="Mo", last_name="Ver")  # to the council
    page.get_by_label("Staff file (CSV or Excel .xlsx)").set_input_files(
        {"name": "move.csv", "mimeType": "text/csv", "buffer": staff_csv([row])}
    )
    page.get_by_role("button", name="Upload and preview").click()
    assert "1 person moves to another organisation" in page.locator("main").inner_text()
    assert "Designated Safeguarding Officer in Little Acorns Day Nursery" in page.locator("main").inner_text()
    assert_accessible(page)
