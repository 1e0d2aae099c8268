import io

import pytest
from django.apps import apps
from django.core.management import call_command

from workforce.models import User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "practitioner@demo.example",
    "manager@demo.example",
    "coordinator@demo.example",
    "strategy@demo.example",
    "board@demo.example",
    "admin@demo.example",
]


def _counts():
    """Rows in every table of every installed app, including many-to-many and history tables."""
    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


def test_seed_demo_creates_the_six_logins_and_is_idempotent(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"  # `make run PORT=8123`
    out = io.StringIO()
    call_command("seed_demo", password="a-demo-passphrase", stdout=out)
    assert "Sign in at http://127.0.0.1:8123 with:" in out.getvalue()
    assert all(email in out.getvalue() for email in DEMO_LOGINS)
    first = _counts()
    assert first["workforce_user"] > 200 and first["partners_organisation"] >= 25
    call_command("seed_demo", password="a-demo-passphrase")
    assert _counts() == first
    for email in DEMO_LOGINS:
        assert User.objects.get(email=email).check_password("a-demo-passphrase")
        assert client.login(username=email, password="a-demo-passphrase")
