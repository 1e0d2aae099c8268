"""The partnership pages, governance bodies and memberships."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from core.roles import Role
from partners import selectors, services
from partners.models import GovernanceMembership
from tests.partners.factories import (
    GovernanceBodyFactory,
    GovernanceMembershipFactory,
    OrganisationFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)


def test_sectors_show_their_headcount_facts_organisations_and_people(client, make_user):
    health = SectorFactory(name="Health", summary="About 500 in the community health provider's children's services.")
    trust = OrganisationFactory(name="Community Health NHS Trust", sector=health)
    OrganisationFactory(name="Closed Clinic", sector=health, is_active=False)
    make_user(profile={"organisation": trust})
    client.force_login(make_user(Role.PRACTITIONER))
    page = client.get("/partnership/").content.decode()
    assert "About 500 in the community health provider" in page
    assert "1 organisation · 1 person on the portal" in page
    page = client.get("/partnership/sectors/health/").content.decode()
    assert "Community Health NHS Trust" in page and "Closed Clinic" not in page


def test_organisations_can_be_filtered_by_sector_and_type(client, make_user):
    schools = SectorFactory(name="Schools")
    OrganisationFactory(name="Oakfield Academy", sector=schools)
    OrganisationFactory(name="Little Acorns", org_type="pvi")
    client.force_login(make_user())
    page = client.get(f"/partnership/organisations/?sector={schools.pk}").content.decode()
    assert "Oakfield Academy" in page and "Little Acorns" not in page
    page = client.get("/partnership/organisations/?org_type=pvi").content.decode()
    assert "Little Acorns" in page and "Oakfield Academy" not in page


def test_a_governance_body_lists_current_members_by_sector_with_users_and_external_representatives(client, make_user):
    board = GovernanceBodyFactory(name="Children's Partnership Board", slug="board")
    health, schools = SectorFactory(name="Health", order=2), SectorFactory(name="Schools", order=3)
    member = make_user(first_name="Beatrice", last_name="Lowe", profile={"job_title": "Director"})
    GovernanceMembershipFactory(body=board, user=member, external_name="", external_email="", sector=health)
    GovernanceMembershipFactory(body=board, external_name="Joanna Pryce", external_email="joanna@school.example",
                                role="Chair", sector=schools)  # fmt: skip
    GovernanceMembershipFactory(body=board, external_name="Past Person", sector=schools,
                                start_date=date(2015, 1, 1), end_date=date(2018, 1, 1))  # fmt: skip

    client.force_login(make_user(Role.PRACTITIONER))
    page = client.get("/partnership/governance/board/").content.decode()
    assert page.index("Beatrice Lowe") < page.index("Joanna Pryce")  # Health before Schools
    assert "External" in page and "Past Person" not in page
    assert "joanna@school.example" not in page  # practitioners see no contact details
    assert "Past Person" in client.get("/partnership/governance/board/?past=1").content.decode()

    client.force_login(make_user(Role.STRATEGY_GROUP_MEMBER))
    assert "joanna@school.example" in client.get("/partnership/governance/board/").content.decode()


def test_bodies_come_and_go(client, make_user):
    GovernanceBodyFactory(name="Safeguarding Children Board", start_date=date(2008, 4, 1), end_date=date(2019, 9, 28))
    client.force_login(make_user())
    page = client.get("/partnership/governance/").content.decode()
    assert "28 Sep 2019" in page


def test_a_member_is_a_user_or_an_external_representative_never_both_nor_neither(make_user):
    body = GovernanceBodyFactory()
    with pytest.raises(services.MembershipError):
        services.governance_membership_upsert(body=body, start_date=TODAY)
    with pytest.raises(services.MembershipError):
        services.governance_membership_upsert(body=body, start_date=TODAY, user=make_user(), external_name="X")
    with pytest.raises(IntegrityError), transaction.atomic():
        GovernanceMembership.objects.create(body=body, start_date=TODAY)
    assert GovernanceMembership.objects.count() == 0


def test_membership_upsert_is_idempotent_and_keeps_history(make_user):
    body = GovernanceBodyFactory()
    user = make_user()
    first = services.governance_membership_upsert(body=body, user=user, role="Member", start_date=TODAY)
    again = services.governance_membership_upsert(body=body, user=user, role="Member", start_date=TODAY)
    assert first.pk == again.pk and first.history.count() == 1
    services.governance_membership_upsert(body=body, user=user, role="Chair", start_date=TODAY)
    assert first.history.count() == 2
    assert [m.role for m in selectors.governance_body_members(body=body, on=TODAY)] == ["Chair"]


def test_unknown_pages_are_404(client, make_user):
    client.force_login(make_user())
    assert client.get("/partnership/governance/nope/").status_code == 404
    assert client.get("/partnership/organisations/nope/").status_code == 404
    assert client.get("/partnership/sectors/nope/").status_code == 404


def test_a_very_long_organisation_search_is_a_message_not_a_500(client, make_user):
    """SQLite refuses a LIKE pattern over 50,000 bytes: 20,000 emoji in the name search was a 500 (found by the
    bad-input test's generated query strings)."""
    OrganisationFactory(name="Little Acorns Day Nursery")
    client.force_login(make_user())
    response = client.get("/partnership/organisations/", {"name": "😀" * 20_000})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 200 characters" in page and "Little Acorns Day Nursery" not in page
