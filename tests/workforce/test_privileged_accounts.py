"""Privileged accounts (administrators, training coordinators, anyone who signs in with two-factor) are edited
only by administrators: an organisation lead cannot change their staff profile or designated roles, on the
pages, through the services or through the staff import, even when they are in the lead's organisation (issue 16:
a lead could change the administrator's job title, line manager and band)."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role
from tests.workforce.conftest import person_row, staff_csv
from workforce import services
from workforce.models import DesignatedRole

pytestmark = pytest.mark.django_db

PROFILE = {"job_title": "Lead's choice", "workforce": "core", "service_tier": "universal", "cts_band": "1",
           "employment": "paid", "hours": "full", "employee_ref": ""}


@pytest.fixture(params=["administrator", "coordinator", "two-factor"])
def privileged(request, make_user, council):
    if request.param == "two-factor":
        person = make_user(Role.PRACTITIONER, email="careful@council.example",
                           profile={"organisation": council, "job_title": "Careful worker"})
        TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
        return person
    role = Role.ADMINISTRATOR if request.param == "administrator" else Role.TRAINING_COORDINATOR
    return make_user(role, email=f"{request.param}@council.example",
                     profile={"organisation": council, "job_title": "Original title"})


def test_a_lead_can_neither_open_nor_post_a_privileged_persons_edit_page(client, lead, council, privileged):
    title = privileged.profile.job_title
    client.force_login(lead)
    assert client.get(f"/people/staff/{privileged.pk}/edit/").status_code == 404
    assert client.post(f"/people/staff/{privileged.pk}/edit/", {**PROFILE, "organisation": council.pk,
                                                                 "line_manager": lead.pk}).status_code == 404
    assert client.get(f"/people/staff/{privileged.pk}/roles/add/").status_code == 404
    page = client.get(f"/people/staff/{privileged.pk}/").content.decode()
    assert f"/people/staff/{privileged.pk}/edit/" not in page
    privileged.profile.refresh_from_db()
    assert (privileged.profile.job_title, privileged.profile.line_manager) == (title, None)


def test_the_services_refuse_a_lead_too(lead, council, privileged):
    with pytest.raises(services.PeopleError, match="only administrators change"):
        services.staff_profile_update(person=privileged, by=lead, job_title="Lead's choice", cts_band=4)
    with pytest.raises(services.PeopleError, match="only administrators change"):
        services.designated_role_add(person=privileged, by=lead, kind=DesignatedRole.Kind.choices[0][0],
                                     organisation=council, start_date=dt.date(2026, 1, 1))
    privileged.profile.refresh_from_db()
    assert privileged.profile.job_title != "Lead's choice"
    assert not DesignatedRole.objects.filter(person=privileged).exists()


def test_a_leads_import_cannot_change_a_privileged_account_but_an_unchanged_row_is_fine(lead, council, privileged):
    row = person_row(1, email=privileged.email, first_name=privileged.first_name, last_name=privileged.last_name,
                     hr_reference="", job_title="Lead's choice")
    preview = services.staff_import_preview(name="s.csv", data=staff_csv([row]), by=lead, organisation=council)
    assert preview.batch is None
    assert "only administrators change" in preview.results[0].errors["email"]
    privileged.profile.refresh_from_db()
    assert privileged.profile.job_title != "Lead's choice"


def test_an_administrator_edits_privileged_accounts_and_a_lead_still_edits_practitioners(
    client, lead, council, privileged, admin_user, make_user
):
    client.force_login(admin_user)
    response = client.post(f"/people/staff/{privileged.pk}/edit/", {**PROFILE, "organisation": council.pk,
                                                                     "job_title": "Set by the administrator"})
    assert response.status_code == 302
    privileged.profile.refresh_from_db()
    assert privileged.profile.job_title == "Set by the administrator"

    worker = make_user(Role.PRACTITIONER, profile={"organisation": council, "job_title": "Worker"})
    client.force_login(lead)
    response = client.post(f"/people/staff/{worker.pk}/edit/", {**PROFILE, "organisation": council.pk})
    assert response.status_code == 302
    worker.profile.refresh_from_db()
    assert worker.profile.job_title == "Lead's choice"
