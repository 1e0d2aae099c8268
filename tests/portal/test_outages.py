"""The portal while Redis or PostgreSQL is away, and bodies too large to read (docs/operations.md)."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from core.models import OutboxMessage
from tests.outage import database_unreachable
from tests.training.factories import SessionFactory
from training.models import Booking

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection to this "Redis" is refused at once.
REDIS_DOWN = {"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@override_settings(CACHES=REDIS_DOWN)
def test_with_redis_down_people_sign_in_browse_and_book(client, practitioner, password, caplog):
    session = SessionFactory(capacity=5)
    with caplog.at_level(logging.WARNING, logger="core.redis_cache"):
        signed_in = client.post(reverse("login"), {"username": practitioner.email, "password": password})
        assert signed_in.status_code == 302
        assert client.get(reverse("portal:home")).status_code == 200
        assert client.get(reverse("training:catalogue")).status_code == 200
        assert client.get(session.course.get_absolute_url()).status_code == 200
        place = client.get(session.get_absolute_url())
        assert place.status_code == 200 and "Book a place" in place.content.decode()
        booked = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)
    assert booked.status_code == 200
    assert Booking.objects.get(person=practitioner).status == Booking.Status.CONFIRMED
    # Its email waits in the outbox for the broker, not lost.
    assert OutboxMessage.objects.filter(task="training.tasks.booking_email_send").count() == 1
    assert [r.getMessage() for r in caplog.records if "Cache unreachable" in r.getMessage()][:1]
    assert cache.get("anything", "missing") == "missing"


@override_settings(CACHES=REDIS_DOWN)
def test_healthz_says_the_cache_is_down(client):
    body = client.get(reverse("portal:healthz")).json()
    assert body["cache"]["ok"] is False


@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_pages_say_unavailable_with_retry_after(practitioner):
    client = Client(raise_request_exception=False)
    client.force_login(practitioner)
    with database_unreachable():
        response = client.get(reverse("portal:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "temporarily unavailable" in response.content.decode()


def test_a_fault_of_ours_is_still_a_500_not_an_outage():
    from django.db import OperationalError

    from portal import health

    class LockTimeout(Exception):
        pgcode = "55P03"

    error = OperationalError("canceling statement due to lock timeout")
    error.__cause__ = LockTimeout()
    assert health.database_unreachable(error) is False
    assert health.database_unreachable(ValueError("bug")) is False
    refused = OperationalError("connection refused")
    assert health.database_unreachable(refused) is True


def test_an_oversized_body_is_refused_before_it_is_read(client, practitioner, settings):
    client.force_login(practitioner)
    response = client.generic("POST", reverse("workforce:import"), data=b"x" * 1024,
                              content_type="application/octet-stream",
                              CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1))  # fmt: skip
    assert response.status_code == 413
    assert "That file is too large" in response.content.decode()
    assert "12 MB" in response.content.decode()
