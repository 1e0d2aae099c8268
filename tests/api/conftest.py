import pytest
from rest_framework.test import APIClient

from identity import services


@pytest.fixture
def token_for():
    """token_for(user, "read", "bookings:write", organisation=None) -> (the secret, the token)."""

    def make(user, *scopes, organisation=None):
        made = services.token_create(by=user, name="Test token", scopes=list(scopes or ["read"]),
                                     organisation=organisation)
        return made.secret, made.token

    return make


@pytest.fixture
def api_as(token_for):
    """api_as(user, *scopes) -> an APIClient sending a fresh token of the user's with those scopes."""

    def make(user, *scopes, organisation=None):
        secret, _token = token_for(user, *scopes, organisation=organisation)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return make
