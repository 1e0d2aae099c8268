"""The API's and SCIM's rows of the access matrix again, with each viewer calling through a personal token
holding every scope instead of a browser session: a token never reaches more than its person's pages do. The other
organisation's lead is the column for "another organisation's token"."""

import pytest
from rest_framework.test import APIClient

from identity.models import Scope
from identity.services import token_create
from tests.portal.crawl import ANY, NF, outcome
from tests.portal.test_access_matrix import MATRIX, POST_DATA, UNAUTH
from tests.portal.world import VIEWERS

pytestmark = pytest.mark.django_db

API_ROWS = [(key, row) for key, row in MATRIX.items() if key.startswith("api:") and row[1][0] == UNAUTH]
# SCIM takes only an organisation's SCIM token: a person's token, whatever its scopes, learns nothing (404).
SCIM_REFUSED = (UNAUTH, NF, NF, NF, NF, NF, NF, NF)
API_ROWS += [(key, (obj, SCIM_REFUSED, *([SCIM_REFUSED] if post else [])))
             for key, (obj, _get, *post) in MATRIX.items() if key.startswith("scim:")]


@pytest.fixture(scope="module")
def token_clients(world, django_db_blocker):
    clients = {}
    with django_db_blocker.unblock():
        for viewer in VIEWERS:
            client = APIClient()
            user = world.user(viewer)
            if user is not None:
                scopes = [s for s in Scope.values if s != Scope.SCIM]
                secret = token_create(by=user, name="Matrix", scopes=scopes).secret
                client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
            clients[viewer] = client
    return clients


def _path(world, key, obj):
    from tests.portal.crawl import path_for

    return path_for(key.split("@")[0], dict(world.kwargs[obj]) if obj else None)


@pytest.mark.parametrize(("key", "row"), API_ROWS, ids=[key for key, _ in API_ROWS])
def test_api_by_token(key, row, world, token_clients):
    from django.db import transaction

    obj, get_row, *post = row
    cases = [("GET", get_row, None)]
    if post:
        data = POST_DATA.get(post[1]) if len(post) > 1 else None
        cases.append(("POST", post[0], data(world) if callable(data) else data))
    wrong = []
    for method, expected_row, data in cases:
        path = _path(world, key, obj)
        for viewer, expected in zip(VIEWERS, expected_row, strict=True):
            with transaction.atomic():
                client = token_clients[viewer]
                response = client.get(path) if method == "GET" else client.post(path, data or {})
                transaction.set_rollback(True)
            got = ANY if expected == ANY and response.status_code < 500 else outcome(response)
            if got != expected:
                wrong.append(f"  {method} {viewer:>13}: expected {expected}, got {got}")
    assert not wrong, f"{key}:\n" + "\n".join(wrong)
