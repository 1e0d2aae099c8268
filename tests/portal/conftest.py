"""The world the access matrix and the bad-input tests share: built once per module inside a transaction
that is rolled back when the module ends (each request is in its own savepoint, see crawl.py)."""

import pytest
from django.db import transaction
from django.test import Client

from tests.portal.world import VIEWERS, build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def viewer_clients(world):
    """A test client per viewer, signed in as that viewer (the anonymous one signed in as nobody)."""
    clients = {}
    for viewer in VIEWERS:
        client = Client()
        if world.user(viewer) is not None:
            client.force_login(world.user(viewer))
        clients[viewer] = client
    return clients
