"""Accounts made in the Django admin: one account per address, however it is typed."""

import pytest
from django.test import Client

from workforce.models import User
from workforce.permissions import Role

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
