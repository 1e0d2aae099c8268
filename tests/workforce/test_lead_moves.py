"""Leading an organisation belongs to that organisation. Found by the access matrix work (issue 7): a lead
could choose another organisation on their own profile page and then lead that one, seeing and editing
its people, importing into it and reading its compliance."""

import pytest

from core.roles import Role
from tests.workforce.conftest import person_row, staff_csv
from workforce import services

pytestmark = pytest.mark.django_db

PROFILE = {"job_title": "Service manager", "workforce": "core", "service_tier": "targeted", "cts_band": "4",
           "employment": "paid", "hours": "full", "start_date": "2020-01-06"}


def test_a_lead_who_moves_themself_to_another_organisation_does_not_lead_it(client, lead, make_user, nursery):
    nursery_worker = make_user(email="worker@nursery.example", profile={"organisation": nursery})
    client.force_login(lead)
    assert client.get(f"/people/staff/{nursery_worker.pk}/").status_code == 404

    response = client.post("/people/profile/", {**PROFILE, "organisation": nursery.pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.profile.organisation == nursery and not lead.profile.is_organisation_lead

    for page in (f"/people/staff/{nursery_worker.pk}/", f"/people/staff/{nursery_worker.pk}/edit/", "/people/import/",
                 "/training/compliance/organisation/"):
        assert client.get(page).status_code == 404, page


def test_a_lead_who_saves_their_profile_in_the_same_organisation_still_leads_it(client, lead, council):
    client.force_login(lead)
    assert client.post("/people/profile/", {**PROFILE, "organisation": council.pk}).status_code == 302
    lead.refresh_from_db()
    assert lead.profile.is_organisation_lead
    assert client.get("/people/import/").status_code == 200


def test_an_administrator_may_move_a_lead_and_keep_them_leading(client, lead, admin_user, nursery):
    client.force_login(admin_user)
    response = client.post(f"/people/staff/{lead.pk}/edit/", {
        **PROFILE, "organisation": nursery.pk, "is_organisation_lead": "on", "employee_ref": "",
    })
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.profile.organisation == nursery and lead.profile.is_organisation_lead


def test_an_import_that_moves_a_lead_ends_their_lead(admin_user, make_user, council, nursery):
    moved = make_user(Role.PRACTITIONER, email="moved.lead@council.example",
                      profile={"organisation": council, "is_organisation_lead": True})
    row = person_row(1, organisation=nursery.name, email=moved.email, first_name=moved.first_name,
                     last_name=moved.last_name)
    preview = services.staff_import_preview(name="staff.csv", data=staff_csv([row]), by=admin_user, organisation=None)
    services.staff_import_confirm(batch=preview.batch, by=admin_user)
    moved.profile.refresh_from_db()
    assert moved.profile.organisation == nursery and not moved.profile.is_organisation_lead
