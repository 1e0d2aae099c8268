"""Sign-in protection, security headers and session expiry."""

import pytest
from django.test import override_settings
from django.urls import reverse

from workforce.permissions import Role

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


def test_session_expires_after_inactivity(client, make_user, settings):
    client.force_login(make_user(Role.PRACTITIONER))
    client.get(reverse("portal:home"))
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
