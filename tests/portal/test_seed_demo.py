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
    ours = ["partners", "workforce", "training", "actions"]
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ours}


def test_seed_demo_creates_the_six_logins_and_is_idempotent(client):
    call_command("seed_demo", password="a-demo-passphrase")
    first = _counts()
    call_command("seed_demo", password="a-demo-passphrase")
    assert _counts() == first
    for email in DEMO_LOGINS:
        assert User.objects.get(email=email).check_password("a-demo-passphrase")
        assert client.login(username=email, password="a-demo-passphrase")
