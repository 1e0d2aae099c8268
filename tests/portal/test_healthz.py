import pytest
from django.urls import reverse

from config.celery import app
from tests.outage import database_unreachable

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get(reverse("portal:healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_unreachable(client):
    saved = app.conf.broker_url, dict(app.conf.broker_transport_options or {}), app.conf.broker_transport
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.broker_transport_options, app.conf.broker_transport = {}, None
    try:
        response = client.get(reverse("portal:healthz"))
    finally:
        app.conf.broker_url, app.conf.broker_transport_options, app.conf.broker_transport = saved
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["database"]["ok"] is True


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_is_unreachable(client):
    """The check opens a new connection to a database that is not there; the test's own is put aside meanwhile."""
    with database_unreachable():
        response = client.get(reverse("portal:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "detail": "OperationalError"}
    assert body["broker"]["ok"] is True


def _filesystem_broker(root):
    folders = {
        key: root / name
        for key, name in [
            ("data_folder_in", "queue"),
            ("data_folder_out", "queue"),
            ("processed_folder", "processed"),
            ("control_folder", "control"),
        ]
    }
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    return {key: str(folder) for key, folder in folders.items()}


def test_healthz_is_503_when_the_filesystem_brokers_queue_folder_is_gone(client, tmp_path):
    """kombu's filesystem transport connects whatever its folders are; a task sent to a folder that is gone is
    lost, so the check looks at the folders themselves."""
    saved = app.conf.broker_url, dict(app.conf.broker_transport_options or {})
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = _filesystem_broker(tmp_path)
    try:
        healthy = client.get(reverse("portal:healthz"))
        (tmp_path / "queue").rmdir()
        broken = client.get(reverse("portal:healthz"))
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved[0], saved[1]
    assert healthy.status_code == 200
    assert healthy.json()["broker"] == {"ok": True, "detail": "filesystem"}
    assert broken.status_code == 503
    assert broken.json()["broker"] == {"ok": False, "detail": "data_folder_in missing"}
