"""Who sees whom, the gap report and the dashboard figures, against the database."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from tests.partners.factories import OrganisationFactory
from tests.workforce.factories import DesignatedRoleFactory
from workforce import selectors
from workforce.models import DesignatedRole, StaffProfile
from workforce.permissions import get_person_for, is_organisation_lead

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


def test_people_visible_to_each_kind_of_user(make_user, lead, admin_user, council, nursery):
    colleague = make_user(profile={"organisation": council})
    report = make_user(profile={"organisation": nursery, "line_manager": lead})
    outsider = make_user(profile={"organisation": nursery})
    practitioner = make_user(Role.PRACTITIONER, profile={"organisation": council})

    assert set(selectors.people_visible_to(user=admin_user)) == {admin_user, lead, colleague, report, outsider,
                                                                 practitioner}  # fmt: skip
    # The lead: their organisation (the administrator is in it too) and their direct report elsewhere.
    assert set(selectors.people_visible_to(user=lead)) == {lead, colleague, practitioner, admin_user, report}
    assert set(selectors.people_visible_to(user=practitioner)) == {practitioner}
    assert set(selectors.team_of(manager=lead)) == {report}
    assert set(selectors.organisation_people(organisation=nursery)) == {report, outsider}
    assert is_organisation_lead(lead) and not is_organisation_lead(colleague)


def test_get_person_for_is_a_404_outside_what_the_user_may_see(make_user, lead, nursery):
    from django.http import Http404

    outsider = make_user(profile={"organisation": nursery})
    with pytest.raises(Http404):
        get_person_for(lead, outsider.pk)
    assert get_person_for(outsider, outsider.pk) == outsider


def test_the_gap_report_lists_settings_with_no_current_safeguarding_officer(make_user, early_years, nursery):
    covered = OrganisationFactory(name="Covered Nursery", sector=early_years)
    lapsed = OrganisationFactory(name="Lapsed Pre-school", sector=early_years)
    future = OrganisationFactory(name="Future Playgroup", sector=early_years)
    person = make_user()
    DesignatedRoleFactory(person=person, organisation=covered, start_date=date(2020, 1, 1))
    DesignatedRoleFactory(person=person, organisation=lapsed, start_date=date(2020, 1, 1), end_date=date(2026, 1, 1))
    DesignatedRoleFactory(person=person, organisation=future, start_date=date(2027, 1, 1))
    DesignatedRoleFactory(person=person, organisation=nursery, kind=DesignatedRole.Kind.TRAINER)  # not a DSO

    gaps = selectors.organisations_without_role(kind=DesignatedRole.Kind.SAFEGUARDING_OFFICER, on=TODAY,
                                                sector=early_years)  # fmt: skip
    assert [o.name for o in gaps] == ["Future Playgroup", "Lapsed Pre-school", "Little Acorns Day Nursery"]


def test_dashboard_figures_equal_counting_by_hand_in_a_handful_of_queries(make_user, council, nursery):
    for band, workforce, tier in [(1, "wider", "universal"), (3, "core", "targeted"), (3, "core", "specialist")]:
        make_user(profile={"organisation": council, "cts_band": band, "workforce": workforce, "service_tier": tier})
    make_user(profile={"organisation": nursery, "cts_band": 4, "employment": "volunteer", "hours": "part"})
    holder = make_user(profile={"organisation": nursery, "cts_band": 2})
    DesignatedRoleFactory(person=holder, organisation=nursery, start_date=date(2024, 1, 1))

    with CaptureQueriesContext(connection) as queries:
        figures = selectors.workforce_figures(on=TODAY)
    assert len(queries) <= 6

    profiles = list(StaffProfile.objects.select_related("organisation__sector"))
    assert figures["total"] == len(profiles) == 5
    by_band = dict(figures["by_band"])
    for band in (1, 2, 3, 4):
        assert by_band[f"Band {band}"] == sum(p.cts_band == band for p in profiles)
    assert dict(figures["by_organisation"]) == {council.name: 3, nursery.name: 2}
    assert sum(n for _s, n in figures["by_sector"]) == 5
    assert dict(figures["by_workforce"]) == {"Core": 4, "Wider": 1}
    assert dict(figures["by_tier"]) == {"Universal": 3, "Targeted": 1, "Specialist": 1}
    assert dict(figures["by_employment"]) == {"Paid": 4, "Volunteer": 1}
    dso = next(r for r in figures["roles"] if r["label"] == "Designated Safeguarding Officer")
    assert (dso["holders"], dso["organisations"], dso["without"]) == (1, 1, 1)

    only_nursery = selectors.workforce_figures(organisation=nursery, on=TODAY)
    assert only_nursery["total"] == 2
    assert dict(only_nursery["by_band"])["Band 4"] == 1


def test_dashboard_query_count_does_not_grow_with_people(make_user, council):
    make_user(profile={"organisation": council})
    with CaptureQueriesContext(connection) as few:
        selectors.workforce_figures(on=TODAY)
    for _ in range(15):
        make_user(profile={"organisation": OrganisationFactory()})
    with CaptureQueriesContext(connection) as many:
        selectors.workforce_figures(on=TODAY)
    assert len(many) == len(few)


def test_someone_whose_account_is_closed_counts_nowhere_and_leaves_a_gap(make_user, nursery, early_years):
    """A Designated Safeguarding Officer leaves and their account is deactivated, the role not yet ended:
    the dashboard, the gap report and the partnership pages all stop counting them."""
    from partners.selectors import organisations_list, sectors_with_counts

    today = date(2026, 11, 23)
    stays = make_user(profile={"organisation": nursery})
    leaver = make_user(profile={"organisation": nursery})
    DesignatedRoleFactory(person=leaver, organisation=nursery, start_date=date(2024, 1, 8))
    assert nursery not in selectors.organisations_without_role(kind="dso", on=today)
    leaver.is_active = False
    leaver.save()

    figures = selectors.workforce_figures(on=today)
    dso = next(row for row in figures["roles"] if row["label"] == "Designated Safeguarding Officer")
    assert (figures["total"], dso["holders"], dso["organisations"]) == (1, 0, 0)
    gaps = selectors.organisations_without_role(kind="dso", on=today)
    assert [(org, org.staff_count) for org in gaps] == [(nursery, 1)]
    assert {s.name: s.staff_count for s in sectors_with_counts()}[early_years.name] == 1
    assert [org.staff_count for org in organisations_list()] == [1]
    assert stays.is_active
