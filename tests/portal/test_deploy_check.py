"""Production settings pass Django's deployment checklist with no warnings, and refuse to start on the
development defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # manage.py processes with production's settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_LIKE = {
    "DJANGO_SETTINGS_MODULE": "config.settings.prod",
    "ALLOWED_HOSTS": "portal.example",
    "DEBUG": "false",
    "DATABASE_URL": "postgres://portal:secret@db.portal.example:5432/portal",
    "REDIS_URL": "redis://redis.portal.example:6379/0",
    "EMAIL_URL": "smtp+tls://portal:secret@mail.portal.example:587",
}


def _manage(*args, **environment):
    # The test run's own settings (DATABASE_URL, REDIS_URL, DJANGO_ALLOW_ASYNC_UNSAFE for Playwright) are not
    # part of a deployment: only what is given here.
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", *PRODUCTION_LIKE}}
    env.update(environment)
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_LIKE, SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL", "EMAIL_URL"])
def test_production_refuses_to_start_without_its_servers(missing):
    """SQLite in the container, a broker no other container sees and emails printed to the log are
    development defaults: production names the variable it lacks instead of falling back to them."""
    environment = {k: v for k, v in PRODUCTION_LIKE.items() if k != missing}
    result = _manage("check", **environment, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set in production" in result.stderr


def test_a_plain_http_health_check_is_answered_not_redirected():
    """A load balancer checks /healthz over plain HTTP inside the network; every other page goes to https."""
    script = (
        "from django.test import Client; c = Client();"
        "print(c.get('/healthz').status_code, c.get('/accounts/sign-in/').status_code)"
    )
    environment = {
        **PRODUCTION_LIKE,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
    result = _manage("shell", "-c", script, **environment)
    status_healthz, status_page = result.stdout.split()[-2:]
    assert status_page == "301", result.stderr
    assert status_healthz == "503", result.stderr  # answered (the broker is down on port 1), not redirected


@pytest.mark.parametrize(("proxies", "client"), [(None, "10.1.1.1"), ("2", "203.0.113.7"), ("0", "10.0.0.254")])
def test_production_counts_sign_ins_from_the_address_its_proxies_forward(proxies, client):
    """TRUSTED_PROXY_COUNT (default 1: the TLS proxy) decides which X-Forwarded-For entry django-axes counts."""
    script = (
        "from django.test import RequestFactory; from axes.helpers import get_client_ip_address;"
        "print(get_client_ip_address(RequestFactory().get('/', HTTP_X_FORWARDED_FOR='203.0.113.7, 10.1.1.1',"
        " REMOTE_ADDR='10.0.0.254')))"
    )
    environment = {**PRODUCTION_LIKE, "SECRET_KEY": secrets.token_urlsafe(50)}
    if proxies is not None:
        environment["TRUSTED_PROXY_COUNT"] = proxies
    result = _manage("shell", "-c", script, **environment)
    assert result.stdout.split()[-1:] == [client], result.stderr
