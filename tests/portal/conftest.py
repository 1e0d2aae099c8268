"""The world the access matrix and the bad-input tests share: built once per module inside a transaction
that is rolled back when the module ends (each request is in its own savepoint, see crawl.py)."""

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY

from tests.portal.world import VIEWERS, build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def viewer_clients(world):
    """A test client per viewer, signed in as that viewer (the anonymous one signed in as nobody). Sessions
    live in the database only (not the cache too), so rolling a request back rolls its session back too:
    no message or form state leaks from one request into the next."""
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.db"):
        yield _signed_in_clients(world)


def _signed_in_clients(world) -> dict:
    clients = {}
    for viewer in VIEWERS:
        client = Client()
        if world.user(viewer) is not None:
            client.force_login(world.user(viewer))
        if viewer == "admin":  # the administrator has two-factor sign-in on, and this session is verified
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = world.objects["admin_device"].persistent_id
            session.save()
        clients[viewer] = client
    return clients
