import pytest
from django.urls import reverse

from config.celery import app

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_unreachable(client):
    saved = app.conf.broker_url, dict(app.conf.broker_transport_options or {})
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.broker_transport_options = {}
    try:
        response = client.get(reverse("portal:healthz"))
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved[0], saved[1]
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True
