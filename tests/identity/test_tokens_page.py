"""The API tokens page: make a token (its secret shown once), see when it was last used, revoke it."""

import re

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from identity.models import ApiToken
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_make_use_and_revoke_a_token(client, practitioner):
    client.force_login(practitioner)
    page = client.post("/identity/tokens/", {"name": "Calendar sync", "scopes": ["read", "bookings:write"]})
    assert page.status_code == 200
    secret = re.search(r'<code id="new-token">(wfp_[^<]+)</code>', page.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.scopes == ["read", "bookings:write"] and secret not in (token.digest, token.prefix)
    assert "Never" in client.get("/identity/tokens/").content.decode()
    assert secret not in client.get("/identity/tokens/").content.decode()  # shown once only

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/courses/").status_code == 200
    assert "Never" not in client.get("/identity/tokens/").content.decode()

    revoked = client.post(f"/identity/tokens/{token.pk}/revoke/", follow=True)
    assert "is revoked" in revoked.content.decode()
    assert api.get("/api/v1/courses/").status_code == 401


def test_bad_input_is_shown_and_nothing_made(client, practitioner):
    client.force_login(practitioner)
    page = client.post("/identity/tokens/", {"name": "  ", "scopes": ["everything"]})
    html = page.content.decode()
    assert page.status_code == 200 and "is not one of the available choices" in html
    assert not ApiToken.objects.exists()


def test_only_administrators_make_service_tokens(client, practitioner, make_user):
    elsewhere = OrganisationFactory()
    client.force_login(practitioner)
    client.post("/identity/tokens/", {"name": "LMS", "scopes": ["read"], "organisation": elsewhere.pk})
    assert ApiToken.objects.get().kind == ApiToken.Kind.PERSONAL  # the field is not offered to them
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    client.post("/identity/tokens/", {"name": "LMS", "scopes": ["read", "completions:write"],
                                      "organisation": elsewhere.pk})
    service = ApiToken.objects.get(kind=ApiToken.Kind.SERVICE)
    assert service.organisation == elsewhere and service.user == admin
    assert "LMS" in client.get("/identity/tokens/").content.decode()
