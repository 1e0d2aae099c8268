"""Pages about people, per role: what each may see, what is a 404, and what editing does."""

import re
from datetime import date

import pytest
import time_machine
from django.utils.html import escape

from core.roles import Role
from tests.workforce.factories import DesignatedRoleFactory
from workforce.models import DesignatedRole

pytestmark = pytest.mark.django_db


def test_the_directory_shows_names_titles_and_organisations_but_no_contact_details(client, make_user, council):
    make_user(email="secret.address@council.example", first_name="Sam", last_name="Private", phone="07700 900123",
              profile={"organisation": council, "job_title": "Play therapist",
                       "employee_ref": "HR-SECRET"})  # fmt: skip
    client.force_login(make_user(Role.PRACTITIONER))
    page = client.get("/people/directory/?q=Private").content.decode()
    assert "Sam Private" in page and "Play therapist" in page and escape(council.name) in page
    for private in ("secret.address@council.example", "07700 900123", "HR-SECRET"):
        assert private not in page


@pytest.mark.parametrize(
    "url", ["/people/staff/", "/people/staff/export.csv", "/people/designated-roles/", "/people/import/",
            "/people/dashboard/"],
)  # fmt: skip
def test_a_practitioner_gets_404_for_staff_management_pages(client, make_user, url):
    client.force_login(make_user(Role.PRACTITIONER))
    assert client.get(url).status_code == 404


def test_a_practitioner_cannot_open_someone_elses_profile(client, make_user, council):
    other = make_user(profile={"organisation": council})
    client.force_login(make_user(Role.PRACTITIONER, profile={"organisation": council}))
    assert client.get(f"/people/staff/{other.pk}/").status_code == 404
    assert client.get(f"/people/staff/{other.pk}/edit/").status_code == 404


def test_an_organisation_lead_sees_and_edits_their_own_people_only(client, lead, make_user, council, nursery):
    own = make_user(email="own@council.example", profile={"organisation": council, "cts_band": 2})
    elsewhere = make_user(email="elsewhere@nursery.example", profile={"organisation": nursery})
    client.force_login(lead)
    page = client.get("/people/staff/").content.decode()
    assert "own@council.example" in page and "elsewhere@nursery.example" not in page
    assert client.get(f"/people/staff/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/people/staff/{elsewhere.pk}/edit/").status_code == 404

    response = client.post(f"/people/staff/{own.pk}/edit/", {
        "organisation": council.pk, "job_title": "Senior practitioner", "workforce": "core",
        "service_tier": "specialist", "cts_band": "4", "employment": "paid", "hours": "full",
        "start_date": "2022-02-01", "line_manager_email": "lead@council.example", "employee_ref": "HR5",
    })  # fmt: skip
    assert response.status_code == 302
    own.profile.refresh_from_db()
    assert (own.profile.job_title, own.profile.cts_band, own.profile.line_manager) == ("Senior practitioner", 4, lead)
    # Who changed what, and when, is on the person's page.
    page = client.get(f"/people/staff/{own.pk}/").content.decode()
    assert "Core Training Standard band: 2 → 4" in page
    assert "Job title: Family support worker → Senior practitioner" in page
    assert f"<td>{lead.full_name}" in page


def test_a_lead_cannot_move_someone_to_another_organisation(client, lead, make_user, council, nursery):
    own = make_user(profile={"organisation": council})
    client.force_login(lead)
    response = client.post(f"/people/staff/{own.pk}/edit/", {
        "organisation": nursery.pk, "job_title": "X", "workforce": "core", "service_tier": "universal",
        "cts_band": "3", "employment": "paid", "hours": "full",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    own.profile.refresh_from_db()
    assert own.profile.organisation == council


def test_a_line_manager_sees_their_team_in_the_staff_list(client, make_user, council):
    manager = make_user(Role.LINE_MANAGER, profile={"organisation": council})
    report = make_user(email="report@council.example", profile={"organisation": council, "line_manager": manager})
    make_user(email="not.mine@council.example", profile={"organisation": council})
    client.force_login(manager)
    page = client.get("/people/staff/").content.decode()
    assert "report@council.example" in page and "not.mine@council.example" not in page
    assert client.get(f"/people/staff/{report.pk}/").status_code == 200
    assert client.get(f"/people/staff/{report.pk}/edit/").status_code == 404  # seeing is not editing


def test_an_administrator_sees_everyone_and_filters_by_band_and_role(client, admin_user, make_user, nursery):
    dso = make_user(email="dso@nursery.example", profile={"organisation": nursery, "cts_band": 3})
    make_user(email="band3@nursery.example", profile={"organisation": nursery, "cts_band": 3})
    make_user(email="band1@nursery.example", profile={"organisation": nursery, "cts_band": 1})
    DesignatedRoleFactory(person=dso, organisation=nursery, start_date=date(2020, 1, 1))
    client.force_login(admin_user)
    page = client.get("/people/staff/?cts_band=3").content.decode()
    assert "dso@nursery.example" in page and "band3@nursery.example" in page and "band1@nursery.example" not in page
    page = client.get("/people/staff/?role=dso").content.decode()
    assert "dso@nursery.example" in page and "band3@nursery.example" not in page


def test_my_profile_is_kept_by_the_practitioner(client, make_user, council, nursery):
    me = make_user(Role.PRACTITIONER, profile={"organisation": council})
    manager = make_user(email="boss@nursery.example", profile={"organisation": nursery})
    client.force_login(me)
    response = client.post("/people/profile/", {
        "organisation": nursery.pk, "job_title": "Nursery nurse", "workforce": "wider", "service_tier": "universal",
        "cts_band": "2", "employment": "volunteer", "hours": "part", "start_date": "2024-05-01",
        "line_manager_email": "BOSS@nursery.example",
    })  # fmt: skip
    assert response.status_code == 302
    me.profile.refresh_from_db()
    assert (me.profile.organisation, me.profile.line_manager, me.profile.employment) == (nursery, manager, "volunteer")
    assert me.profile.start_date == date(2024, 5, 1)


def test_my_profile_explains_an_unknown_manager_and_keeps_the_old_values(client, make_user, council):
    me = make_user(Role.PRACTITIONER, profile={"organisation": council, "job_title": "Before"})
    client.force_login(me)
    response = client.post("/people/profile/", {
        "organisation": council.pk, "job_title": "After", "workforce": "core", "service_tier": "universal",
        "cts_band": "3", "employment": "paid", "hours": "full", "line_manager_email": "nobody@nowhere.example",
    })  # fmt: skip
    assert "No one in City Council Children&#x27;s Services on the portal has this email address." in (
        response.content.decode()
    )
    me.profile.refresh_from_db()
    assert me.profile.job_title == "Before"


def test_my_profile_does_not_tell_whether_an_address_has_an_account_elsewhere(client, make_user, council, nursery):
    """The line manager is someone in the practitioner's organisation; the message is the same whether or not
    the address has an account in another organisation (it told them before the review of issue 3)."""
    me = make_user(Role.PRACTITIONER, profile={"organisation": council})
    make_user(email="exists@nursery.example", profile={"organisation": nursery})
    colleague = make_user(email="colleague@council.example", profile={"organisation": council})
    client.force_login(me)
    post = {"organisation": council.pk, "job_title": "After", "workforce": "core", "service_tier": "universal",
            "cts_band": "3", "employment": "paid", "hours": "full"}  # fmt: skip
    pages = [client.post("/people/profile/", {**post, "line_manager_email": email}).content.decode()
             for email in ("exists@nursery.example", "nobody@nursery.example")]  # fmt: skip
    message = "No one in City Council Children&#x27;s Services on the portal has this email address."
    assert message in pages[0] and message in pages[1]
    me.profile.refresh_from_db()
    assert me.profile.line_manager is None

    response = client.post("/people/profile/", {**post, "line_manager_email": "colleague@council.example"})
    assert response.status_code == 302
    me.profile.refresh_from_db()
    assert me.profile.line_manager == colleague


def test_a_line_manager_set_by_an_administrator_elsewhere_stays_when_the_practitioner_saves(
    client, make_user, council, nursery
):
    boss = make_user(email="boss@nursery.example", profile={"organisation": nursery})
    me = make_user(Role.PRACTITIONER, profile={"organisation": council, "line_manager": boss})
    client.force_login(me)
    response = client.post("/people/profile/", {
        "organisation": council.pk, "job_title": "After", "workforce": "core", "service_tier": "universal",
        "cts_band": "3", "employment": "paid", "hours": "full", "line_manager_email": "boss@nursery.example",
    })  # fmt: skip
    assert response.status_code == 302
    me.profile.refresh_from_db()
    assert (me.profile.job_title, me.profile.line_manager) == ("After", boss)


def test_a_line_manager_who_reports_to_the_person_is_refused_on_the_edit_page(client, admin_user, make_user, council):
    a = make_user(first_name="Ann", last_name="Able", profile={"organisation": council})
    make_user(email="b@council.example", first_name="Bob", last_name="Baker",
              profile={"organisation": council, "line_manager": a})  # fmt: skip
    client.force_login(admin_user)
    response = client.post(f"/people/staff/{a.pk}/edit/", {
        "organisation": council.pk, "job_title": "X", "workforce": "core", "service_tier": "universal",
        "cts_band": "3", "employment": "paid", "hours": "full", "employee_ref": "",
        "line_manager_email": "b@council.example",
    })  # fmt: skip
    assert response.status_code == 200
    assert ("Bob Baker reports to Ann Able, directly or through others, so cannot be their line manager "
            "(Ann Able → Bob Baker → Ann Able).") in response.content.decode()  # fmt: skip
    a.profile.refresh_from_db()
    assert a.profile.line_manager is None


@pytest.mark.parametrize("query", ["cts_band=abc", "organisation=999999", "workforce=nonsense"])
def test_a_filter_value_the_staff_list_does_not_take_is_shown_as_an_error_with_no_one_listed(
    client, admin_user, make_user, council, query
):
    make_user(email="someone@council.example", profile={"organisation": council})
    client.force_login(admin_user)
    page = client.get(f"/people/staff/?{query}").content.decode()
    assert "There is a problem" in page and "Select a valid choice." in page
    assert "someone@council.example" not in page and "No one matches." in page
    export = client.get(f"/people/staff/export.csv?{query}")
    assert export.status_code == 302 and export.url == f"/people/staff/?{query}"


def test_a_lead_asking_for_another_organisations_staff_sees_an_error_not_their_own(client, lead, make_user, council,
                                                                                   nursery):  # fmt: skip
    make_user(email="mine@council.example", profile={"organisation": council})
    client.force_login(lead)
    page = client.get(f"/people/staff/?organisation={nursery.pk}").content.decode()
    assert "Organisation: Select a valid choice." in page
    assert "mine@council.example" not in page


def test_every_link_of_the_error_summary_goes_to_its_field_even_for_radio_buttons(client, make_user, council):
    client.force_login(make_user(Role.PRACTITIONER, profile={"organisation": council}))
    page = client.post("/people/profile/", {"organisation": council.pk, "job_title": "", "cts_band": "3",
                                            "employment": "paid", "hours": "full"}).content.decode()  # fmt: skip
    summary = page[page.index('id="error-summary"'): page.index("</div>", page.index('id="error-summary"'))]
    targets = re.findall(r'href="#([^"]*)"', summary)
    assert targets == ["id_job_title", "id_workforce_0", "id_service_tier_0"]
    for target in targets:
        assert f'id="{target}"' in page


def test_a_lead_who_moves_themself_to_another_organisation_does_not_lead_it(client, lead, make_user, council,
                                                                             nursery):  # fmt: skip
    nursery_person = make_user(profile={"organisation": nursery})
    client.force_login(lead)
    response = client.post("/people/profile/", {**PROFILE_POST, "organisation": nursery.pk, "job_title": "Manager"})
    assert response.status_code == 302
    lead.profile.refresh_from_db()
    assert lead.profile.organisation == nursery and lead.profile.is_organisation_lead is False
    assert client.get(f"/people/staff/{nursery_person.pk}/").status_code == 404
    assert client.get("/people/import/").status_code == 404


def test_recording_and_ending_a_designated_role_keeps_who_and_when(client, lead, make_user, council):
    person = make_user(profile={"organisation": council})
    client.force_login(lead)
    response = client.post(f"/people/staff/{person.pk}/roles/add/", {
        "kind": "dso", "organisation": council.pk, "start_date": "2025-01-06",
    })  # fmt: skip
    assert response.status_code == 302
    role = DesignatedRole.objects.get(person=person)
    response = client.post(f"/people/designated-roles/{role.pk}/end/", {"end_date": "2024-01-01"})
    assert "The end date must be on or after the start date" in response.content.decode()
    client.post(f"/people/designated-roles/{role.pk}/end/", {"end_date": "2026-03-31"})
    role.refresh_from_db()
    assert role.end_date == date(2026, 3, 31)
    assert [(h.history_type, h.history_user) for h in role.history.order_by("history_date")] == [
        ("+", lead), ("~", lead)
    ]
    # The same role over overlapping dates is refused.
    response = client.post(f"/people/staff/{person.pk}/roles/add/", {
        "kind": "dso", "organisation": council.pk, "start_date": "2026-01-01",
    })  # fmt: skip
    assert "already holds this role" in response.content.decode()
    assert DesignatedRole.objects.filter(person=person).count() == 1


def test_the_gap_page_shows_the_gaps(client, admin_user, make_user, early_years, nursery):
    client.force_login(admin_user)
    page = client.get(f"/people/designated-roles/?kind=dso&sector={early_years.pk}").content.decode()
    assert "1</strong> organisation with no current Designated Safeguarding Officer" in page
    assert nursery.name in page
    assert "early-years settings without a Designated Safeguarding Officer" in page  # a quick report
    assert page.count('class="form-select"') == 3  # role, sector, type: styled like every other filter


def test_a_lead_sees_their_own_organisations_gaps_without_partnership_wide_reports(client, lead, early_years):
    client.force_login(lead)
    page = client.get("/people/designated-roles/").content.decode()
    assert "1</strong> organisation with no current Designated Safeguarding Officer" in page
    assert "early-years settings without" not in page


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.BOARD_MEMBER])
def test_administrators_and_board_members_see_the_partnership_dashboard(client, make_user, council, role):
    make_user(profile={"organisation": council, "cts_band": 4})
    client.force_login(make_user(role, profile={"organisation": council}))
    response = client.get("/people/dashboard/")
    page = response.content.decode()
    assert "Headcount by sector" in page and "Headcount by organisation" in page
    assert "<svg" in page and "Designated-role coverage" in page


def test_an_organisation_lead_sees_their_organisations_dashboard(client, lead, make_user, council, nursery):
    make_user(profile={"organisation": nursery})
    client.force_login(lead)
    page = client.get("/people/dashboard/").content.decode()
    assert "Workforce dashboard: City Council Children&#x27;s Services" in page
    assert "<strong>1</strong> person" in page  # the lead only; the nursery's person is not counted


PROFILE_POST = {"job_title": "Practitioner", "workforce": "core", "service_tier": "universal", "cts_band": "3",
                "employment": "paid", "hours": "full", "is_organisation_lead": "on"}  # fmt: skip


def test_only_an_administrator_makes_someone_an_organisation_lead(client, lead, admin_user, make_user, council):
    person = make_user(profile={"organisation": council})
    client.force_login(lead)
    assert "Organisation lead" not in client.get(f"/people/staff/{person.pk}/edit/").content.decode()
    client.post(f"/people/staff/{person.pk}/edit/", {**PROFILE_POST, "organisation": council.pk})
    person.profile.refresh_from_db()
    assert person.profile.is_organisation_lead is False

    client.force_login(admin_user)
    client.post(f"/people/staff/{person.pk}/edit/", {**PROFILE_POST, "organisation": council.pk})
    person.profile.refresh_from_db()
    assert person.profile.is_organisation_lead is True


def test_a_role_is_current_until_its_end_date_and_then_a_gap(client, admin_user, make_user, nursery, early_years):
    holder = make_user(first_name="Dee", last_name="Officer", profile={"organisation": nursery})
    DesignatedRoleFactory(person=holder, organisation=nursery, start_date=date(2024, 1, 8), end_date=date(2025, 7, 18))
    gaps_url = f"/people/designated-roles/?kind=dso&sector={early_years.pk}"
    with time_machine.travel(date(2025, 7, 18)):
        client.force_login(admin_user)
        assert "Current" in client.get(f"/people/staff/{holder.pk}/").content.decode()
        assert "No gaps: every organisation here has a current Designated Safeguarding Officer" in (
            client.get(gaps_url).content.decode()
        )
    with time_machine.travel(date(2025, 7, 19)):
        client.force_login(admin_user)  # sessions expire after two idle hours
        assert "Ended" in client.get(f"/people/staff/{holder.pk}/").content.decode()
        page = client.get(gaps_url).content.decode()
        assert "1</strong> organisation with no current Designated Safeguarding Officer on 19 July 2025" in page


def test_the_directory_shows_an_error_for_an_organisation_it_does_not_list(client, make_user, council):
    make_user(first_name="Vera", last_name="Visible", profile={"organisation": council})
    client.force_login(make_user(Role.PRACTITIONER))
    page = client.get("/people/directory/?organisation=999999").content.decode()
    assert "There is a problem" in page and "Select a valid choice." in page
    assert "Vera Visible" not in page and "No one matches." in page
