"""An organisation lead cannot take over an account the portal's administrators manage: not through the staff
import (matching by HR reference, then changing the email, then a password reset), not by taking in an account
with no profile or one elsewhere, and not on the person's edit page. Administrators keep those powers. Found by
the review of issue 3: the demo's lead could change admin@demo.example's email this way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from tests.workforce.conftest import person_row, staff_csv
from tests.workforce.factories import UserFactory
from workforce import services
from workforce.models import ImportBatch, StaffProfile, User

pytestmark = pytest.mark.django_db

MANAGED = "has an account the portal&#x27;s administrators manage"


def _upload(client, rows):
    return client.post("/people/import/", {"file": SimpleUploadedFile("staff.csv", staff_csv(rows))})


def _import(client, rows):
    """Upload and confirm, as the lead would; returns the upload's response."""
    response = _upload(client, rows)
    if response.status_code == 302:
        client.post(f"{response.url}confirm/")
    return response


@pytest.fixture
def superuser(council):
    """An administrator with a staff profile in the lead's organisation (like admin@demo.example)."""
    user = UserFactory(email="admin@portal.example", first_name="Ada", last_name="Admin", roles=[Role.ADMINISTRATOR])
    StaffProfile.objects.create(user=user, organisation=council, job_title="Administrator")
    return user


def _admin_row(email, **overrides):
    return person_row(1, email=email, hr_reference="ADM1", first_name="Ada", last_name="Admin",
                      job_title="Administrator", **overrides)  # fmt: skip


def test_a_lead_cannot_change_an_administrators_email_through_the_import(client, lead, superuser):
    client.force_login(lead)
    # First file: the administrator's own address, with an HR reference the lead chose. Refused: a privileged
    # account's profile is the administrators' to change (issue 16).
    first = _import(client, [_admin_row("admin@portal.example")])
    assert first.status_code == 200
    superuser.profile.refresh_from_db()
    assert superuser.profile.employee_ref == ""
    StaffProfile.objects.filter(user=superuser).update(employee_ref="ADM1")  # as if an administrator had set it

    # Second file: the same HR reference with the lead's own address.
    batches = ImportBatch.objects.count()
    response = _upload(client, [_admin_row("lead-controlled@evil.example")])
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem with the file: nothing has been imported" in page
    assert f"The person with HR reference ADM1 {MANAGED}, so an import cannot change its email address." in page
    superuser.refresh_from_db()
    assert superuser.email == "admin@portal.example"
    assert ImportBatch.objects.count() == batches  # nothing kept to confirm


@pytest.mark.parametrize("role", [Role.TRAINING_COORDINATOR, Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER])
def test_nor_the_email_of_anyone_holding_a_role_beyond_practitioner_or_line_manager(lead, council, make_user, role):
    holder = make_user(role, email="holder@council.example", profile={"organisation": council, "employee_ref": "R1"})
    data = staff_csv([person_row(1, email="mine@evil.example", hr_reference="R1")])
    preview = services.staff_import_preview(name="s.csv", data=data, by=lead, organisation=council)
    assert preview.batch is None
    assert "so an import cannot change its email address" in preview.results[0].errors["email"]
    holder.refresh_from_db()
    assert holder.email == "holder@council.example"


def test_a_lead_may_still_change_a_practitioners_email_by_hr_reference(lead, council, make_user):
    person = make_user(Role.PRACTITIONER, Role.LINE_MANAGER, email="old@council.example",
                       profile={"organisation": council, "employee_ref": "P1"})  # fmt: skip
    data = staff_csv([person_row(1, email="new@council.example", hr_reference="P1")])
    preview = services.staff_import_preview(name="s.csv", data=data, by=lead, organisation=council)
    assert [(r.outcome, r.changes[:1]) for r in preview.results] == [("updated", ["email"])]
    services.staff_import_confirm(batch=preview.batch, by=lead)
    person.refresh_from_db()
    assert person.email == "new@council.example"


def test_a_lead_cannot_take_in_an_account_that_has_no_profile(client, lead, council):
    tom = UserFactory(email="tom.ashby@portal.example", roles=[Role.PRACTITIONER])
    client.force_login(lead)
    before = User.objects.count(), StaffProfile.objects.count()
    page = _upload(client, [person_row(1, email="tom.ashby@portal.example")]).content.decode()
    assert (f"This email address {MANAGED}, outside City Council Children&#x27;s Services. Ask an administrator to "
            "add the person to City Council Children&#x27;s Services.") in page  # fmt: skip
    assert (User.objects.count(), StaffProfile.objects.count()) == before
    assert not StaffProfile.objects.filter(user=tom).exists()


def test_a_lead_cannot_take_in_an_account_whose_profile_has_no_organisation(lead, council):
    drifter = UserFactory(email="drifter@portal.example")
    StaffProfile.objects.create(user=drifter, organisation=None)
    preview = services.staff_import_preview(name="s.csv", data=staff_csv([person_row(1, email=drifter.email)]),
                                            by=lead, organisation=council)  # fmt: skip
    assert "administrators manage" in preview.results[0].errors["email"]
    drifter.profile.refresh_from_db()
    assert drifter.profile.organisation is None


def test_an_administrator_keeps_full_powers(admin_user, council, superuser):
    tom = UserFactory(email="tom.ashby@portal.example")
    superuser.profile.employee_ref = "ADM1"
    superuser.profile.save()
    data = staff_csv([_admin_row("ada.admin@portal.example"), person_row(2, email="tom.ashby@portal.example")])
    preview = services.staff_import_preview(name="s.csv", data=data, by=admin_user, organisation=None)
    assert [r.outcome for r in preview.results] == ["updated", "updated"]
    services.staff_import_confirm(batch=preview.batch, by=admin_user)
    superuser.refresh_from_db()
    assert superuser.email == "ada.admin@portal.example"
    assert StaffProfile.objects.get(user=tom).organisation == council


def test_the_edit_page_lets_a_lead_change_neither_the_email_nor_the_roles_of_an_administrator(
    client, lead, council, superuser
):
    client.force_login(lead)
    assert client.get(f"/people/staff/{superuser.pk}/edit/").status_code == 404  # only administrators (issue 16)
    response = client.post(f"/people/staff/{superuser.pk}/edit/", {
        "organisation": council.pk, "job_title": "Administrator", "workforce": "core", "service_tier": "universal",
        "cts_band": "1", "employment": "paid", "hours": "full", "employee_ref": "",
        "email": "lead-controlled@evil.example", "groups": "", "is_superuser": "", "is_staff": "",
    })  # fmt: skip
    assert response.status_code == 404
    superuser.refresh_from_db()
    assert superuser.email == "admin@portal.example"
    assert superuser.is_superuser and superuser.is_staff
    assert list(superuser.groups.values_list("name", flat=True)) == ["Administrator"]
