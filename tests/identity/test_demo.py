import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from identity.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_prints_a_working_api_token(capsys):
    call_command("seed_demo")
    call_command("seed_demo")  # again: one live demo token, a fresh secret printed
    out = capsys.readouterr().out
    secrets = [line.split(": ")[-1] for line in out.splitlines() if line.startswith("Demo API token")]
    assert len(secrets) == 2 and secrets[0] != secrets[1]
    assert ApiToken.objects.filter(name__startswith="Demo token", revoked_at__isnull=True).count() == 1
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secrets[1]}")
    assert client.get("/api/v1/sessions/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secrets[0]}")
    assert client.get("/api/v1/sessions/").status_code == 401
