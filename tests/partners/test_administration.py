"""Administrators keep the partnership's register in the portal: organisations, sectors, governance bodies and
their members; bad input is said next to its field and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from partners.models import GovernanceBody, GovernanceMembership, Organisation, Sector
from tests.partners.factories import GovernanceBodyFactory, GovernanceMembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    return client


def test_an_administrator_adds_an_organisation_and_everyone_finds_it(admin_client, client, make_user):
    sector = Sector.objects.create(name="Voluntary and community", slug="vcs")
    page = admin_client.get(reverse("partners:organisations")).content.decode()
    assert reverse("partners:organisation_add") in page
    response = admin_client.post(reverse("partners:organisation_add"), {
        "name": "Hilltop Youth Trust", "sector": sector.pk, "org_type": "voluntary", "address": "2 Hill Road",
        "website": "https://hilltop.example", "is_active": "on"}, follow=True)  # fmt: skip
    assert "Hilltop Youth Trust is saved." in response.content.decode()
    organisation = Organisation.objects.get(name="Hilltop Youth Trust")
    assert organisation.slug == "hilltop-youth-trust"

    client.force_login(make_user(Role.PRACTITIONER))
    listing = client.get(reverse("partners:organisations")).content.decode()
    assert "Hilltop Youth Trust" in listing and reverse("partners:organisation_add") not in listing


def test_a_name_already_taken_is_refused_next_to_the_name(admin_client):
    existing = OrganisationFactory(name="Riverside Academy")
    response = admin_client.post(reverse("partners:organisation_add"), {
        "name": "Riverside Academy", "sector": existing.sector_id, "org_type": "statutory"})  # fmt: skip
    assert response.status_code == 200
    assert "Organisation with this Name already exists." in response.content.decode()
    assert Organisation.objects.filter(name="Riverside Academy").count() == 1


def test_an_organisation_closed_leaves_the_lists_and_keeps_its_address(admin_client):
    organisation = OrganisationFactory(name="Closing Nursery")
    response = admin_client.post(reverse("partners:organisation_edit", args=[organisation.slug]), {
        "name": "Closing Nursery", "sector": organisation.sector_id, "org_type": organisation.org_type},
        follow=True)  # fmt: skip
    organisation.refresh_from_db()
    assert organisation.is_active is False and organisation.slug.startswith("closing-nursery")
    assert "Closing Nursery" not in response.content.decode().split("<h1>")[1]  # back on the list, not shown


def test_sectors_are_added_and_edited(admin_client):
    response = admin_client.post(reverse("partners:sector_add"), {"name": "Faith groups", "summary": "", "order": 8},
                                 follow=True)  # fmt: skip
    assert "The Faith groups sector is saved." in response.content.decode()
    sector = Sector.objects.get(name="Faith groups")
    admin_client.post(reverse("partners:sector_edit", args=[sector.slug]),
                      {"name": "Faith and belief groups", "summary": "Churches, mosques, temples", "order": 8})
    sector.refresh_from_db()
    assert sector.name == "Faith and belief groups" and sector.slug == "faith-groups"  # its address stays


def test_a_body_cannot_end_before_it_starts(admin_client):
    response = admin_client.post(reverse("partners:governance_body_add"), {
        "name": "Workforce Strategy Group", "start_date": "2024-04-01", "end_date": "2024-03-31", "order": 0})
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not GovernanceBody.objects.exists()


def test_members_are_added_as_people_or_external_representatives_and_their_terms_end(admin_client, make_user):
    body = GovernanceBodyFactory(name="Workforce Strategy Group")
    chair = make_user(Role.STRATEGY_GROUP_MEMBER, first_name="Priya", last_name="Chair")
    both = admin_client.post(reverse("partners:membership_add", args=[body.slug]), {
        "user": chair.pk, "external_name": "Someone Else", "role": "Chair", "start_date": "2025-04-01"})
    assert "one of the two" in both.content.decode()
    assert not GovernanceMembership.objects.exists()

    added = admin_client.post(reverse("partners:membership_add", args=[body.slug]), {
        "user": chair.pk, "role": "Chair", "start_date": "2025-04-01"}, follow=True)  # fmt: skip
    assert f"The seat on {body.name} is recorded." in added.content.decode()
    seat = GovernanceMembership.objects.get(user=chair)
    assert seat.role == "Chair"

    early = admin_client.post(reverse("partners:membership_end", args=[seat.pk]), {"end_date": "2025-03-01"})
    assert "it cannot end before that" in early.content.decode()
    admin_client.post(reverse("partners:membership_end", args=[seat.pk]), {"end_date": "2026-03-31"})
    seat.refresh_from_db()
    assert seat.end_date == dt.date(2026, 3, 31)
    assert seat.history.first().history_change_reason.startswith("Term ended by")


def test_only_administrators_edit_the_register(client, make_user):
    body = GovernanceBodyFactory()
    seat = GovernanceMembershipFactory(body=body)
    client.force_login(make_user(Role.STRATEGY_GROUP_MEMBER))
    for url in (reverse("partners:organisation_add"), reverse("partners:governance_body_edit", args=[body.slug]),
                reverse("partners:membership_end", args=[seat.pk])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"end_date": "2026-01-01", "name": "X"}).status_code == 404
    seat.refresh_from_db()
    assert seat.end_date is None
