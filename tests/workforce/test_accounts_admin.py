"""Accounts made in the Django admin: one account per address, however it is typed."""

from datetime import date

import pytest
from django.test import Client

from core.roles import Role
from tests.workforce.factories import DesignatedRoleFactory
from workforce.models import DesignatedRole, User

pytestmark = pytest.mark.django_db


def _add(client, email):
    return client.post("/admin/workforce/user/add/", {
        "email": email, "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1",
        "usable_password": "true", "profile-TOTAL_FORMS": "0", "profile-INITIAL_FORMS": "0",
    })  # fmt: skip


def test_an_address_typed_with_capitals_is_one_account_that_signs_in_however_it_is_typed(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert _add(client, "Jo.Bloggs@Example.org").status_code == 302
    again = _add(client, "jo.bloggs@example.ORG")
    assert again.status_code == 200
    assert "User with this Email address already exists." in again.content.decode()
    assert list(User.objects.filter(email__iexact="jo.bloggs@example.org").values_list("email", flat=True)) == [
        "jo.bloggs@example.org"
    ]
    visitor = Client()
    response = visitor.post("/accounts/sign-in/", {"username": "JO.BLOGGS@example.org",
                                                   "password": "a-long-passphrase-1"})  # fmt: skip
    assert response.status_code == 302


def test_the_admin_refuses_an_overlapping_designated_role_as_the_portal_does(client, make_user):
    """Before the review of issue 3 the admin recorded what the portal's service refuses."""
    holder = make_user()
    role = DesignatedRoleFactory(person=holder, start_date=date(2024, 1, 1))
    client.force_login(make_user(Role.ADMINISTRATOR))
    post = {"person": holder.pk, "kind": role.kind, "organisation": role.organisation_id, "start_date": "2024-06-01",
            "end_date": "", "notes": ""}  # fmt: skip
    response = client.post("/admin/workforce/designatedrole/add/", post)
    assert response.status_code == 200
    assert f"{holder} already holds this role in {role.organisation} for some of those dates." in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert DesignatedRole.objects.count() == 1
    # Changing the role itself is not an overlap with itself; a later, separate spell is fine.
    change = {**post, "start_date": "2023-06-01", "end_date": "2024-12-31"}
    assert client.post(f"/admin/workforce/designatedrole/{role.pk}/change/", change).status_code == 302
    assert client.post("/admin/workforce/designatedrole/add/", {**post, "start_date": "2025-01-01"}).status_code == 302
    assert DesignatedRole.objects.count() == 2
