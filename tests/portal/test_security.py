"""Sign-in protection, security headers and session expiry."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from config.settings.base import axes_proxy_settings
from core.roles import Role

pytestmark = pytest.mark.django_db


def _fail(client, email, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=address)


@override_settings(AXES_ENABLED=True)
def test_five_failures_lock_the_account_with_a_clear_message(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(4):
        assert _fail(client, user.email).status_code == 200
    locked = _fail(client, user.email.upper())  # the same account however it is typed
    assert locked.status_code == 429
    assert "too many unsuccessful attempts" in locked.content.decode()
    # Even the right password from another address is refused while the account is locked.
    again = client.post(reverse("login"), {"username": user.email, "password": password}, REMOTE_ADDR="10.0.0.2")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_five_failures_from_one_address_lock_that_address(client, make_user, password):
    users = [make_user(Role.PRACTITIONER) for _ in range(5)]
    for user in users:
        _fail(client, user.email, address="10.9.9.9")
    fresh = make_user(Role.PRACTITIONER)
    blocked = client.post(reverse("login"), {"username": fresh.email, "password": password}, REMOTE_ADDR="10.9.9.9")
    assert blocked.status_code == 429
    elsewhere = client.post(reverse("login"), {"username": fresh.email, "password": password}, REMOTE_ADDR="10.1.1.1")
    assert elsewhere.status_code == 302


@override_settings(AXES_ENABLED=True, **axes_proxy_settings(1))
def test_behind_a_proxy_the_forwarded_client_address_is_the_one_locked(client, make_user, password):
    """Every request reaches gunicorn from the proxy (REMOTE_ADDR); the client is what the proxy appended to
    X-Forwarded-For. Five failures from one client lock that client, not everyone behind the proxy, and an
    address the client forged at the left of the header changes nothing."""
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for index in range(5):
        forged = f"198.51.100.{index}, 203.0.113.7"  # the client's own "X-Forwarded-For: 198.51.100.x"
        client.post(
            reverse("login"),
            {"username": make_user(Role.PRACTITIONER).email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=forged,
            **proxy,
        )
    fresh = make_user(Role.PRACTITIONER)
    credentials = {"username": fresh.email, "password": password}
    blocked = client.post(reverse("login"), credentials, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert blocked.status_code == 429
    other = client.post(reverse("login"), credentials, HTTP_X_FORWARDED_FOR="192.0.2.40", **proxy)
    assert other.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_success_before_the_limit_resets_the_count(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(4):
        _fail(client, user.email)
    assert client.post(reverse("login"), {"username": user.email, "password": password}).status_code == 302
    client.logout()
    for _ in range(4):
        assert _fail(client, user.email).status_code == 200


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_the_periodic_task_admin_form_has_no_inline_script_for_the_policy_to_block(client, make_user):
    """django-celery-beat's add/change form ran an inline script (the crontab's meaning under the field), which
    `script-src 'self'` blocks; the portal's copy of the template loads it from a static file instead."""
    import re

    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    response = client.get("/admin/django_celery_beat/periodictask/add/")
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", response.content.decode(), flags=re.S)
    inline = [attrs for attrs, body in scripts if "src=" not in attrs and 'type="application/json"' not in attrs]
    assert inline == []
    assert "portal/admin_periodictask.js" in response.content.decode()


def _signed_in(client) -> bool:
    return client.get(reverse("portal:home")).status_code == 200


def test_session_lasts_while_used_and_expires_after_two_idle_hours(client, make_user, settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(make_user(Role.PRACTITIONER))
        for _ in range(3):  # used every 100 minutes: still signed in after five hours
            clock.shift(dt.timedelta(minutes=100))
            assert _signed_in(client)
        clock.shift(dt.timedelta(minutes=119))
        assert _signed_in(client)
        clock.shift(dt.timedelta(minutes=121))
        # The cache (Redis) drops the session at its own expiry in real time, which the clock does not move.
        caches[settings.SESSION_CACHE_ALIAS].delete(SessionStore(client.session.session_key).cache_key)
        assert not _signed_in(client)


def test_a_busy_session_is_written_at_most_once_a_minute(client, make_user):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(make_user(Role.PRACTITIONER))
        client.get(reverse("workforce:account"))
        expires = Session.objects.get().expire_date
        clock.shift(dt.timedelta(seconds=30))
        client.get(reverse("workforce:account"))
        assert Session.objects.get().expire_date == expires  # not written again within the minute
        clock.shift(dt.timedelta(seconds=31))
        client.get(reverse("workforce:account"))
        assert Session.objects.get().expire_date == expires + dt.timedelta(seconds=61)
