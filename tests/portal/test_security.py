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
from workforce import sign_in_guard

pytestmark = pytest.mark.django_db


def _fail(client, email, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=address)


def _sign_in(client, email, password, address):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_ENABLED=True)
def test_five_failures_pause_the_account_from_that_address_only(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(4):
        assert _fail(client, user.email).status_code == 200
    locked = _fail(client, user.email.upper())  # the same account however it is typed
    assert locked.status_code == 429
    assert "too many unsuccessful attempts" in locked.content.decode()
    # Even the right password from that address is refused while the pair is paused...
    assert _sign_in(client, user.email, password, "10.0.0.1").status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the owner from their own address gets in: an attacker cannot lock them out.
    assert _sign_in(client, user.email, password, "10.0.0.2").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_failures_on_other_accounts_do_not_pause_everyone_behind_an_address(client, make_user, password):
    for _ in range(5):
        _fail(client, make_user(Role.PRACTITIONER).email, address="10.9.9.9")
    colleague = make_user(Role.PRACTITIONER)
    assert _sign_in(client, colleague.email, password, "10.9.9.9").status_code == 302


@override_settings(AXES_ENABLED=True, **axes_proxy_settings(1))
def test_behind_a_proxy_the_forwarded_client_address_is_the_one_paused(client, make_user, password):
    """Every request reaches gunicorn from the proxy (REMOTE_ADDR); the client is what the proxy appended to
    X-Forwarded-For. Five failures from one client pause that client, not everyone behind the proxy, and an
    address the client forged at the left of the header changes nothing."""
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    user = make_user(Role.PRACTITIONER)
    for index in range(5):
        forged = f"198.51.100.{index}, 203.0.113.7"  # the client's own "X-Forwarded-For: 198.51.100.x"
        client.post(reverse("login"), {"username": user.email, "password": "wrong"},
                    HTTP_X_FORWARDED_FOR=forged, **proxy)  # fmt: skip
    credentials = {"username": user.email, "password": password}
    blocked = client.post(reverse("login"), credentials, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert blocked.status_code == 429
    other = client.post(reverse("login"), credentials, HTTP_X_FORWARDED_FOR="192.0.2.40", **proxy)
    assert other.status_code == 302


@override_settings(AXES_ENABLED=True)
def test_an_account_attacked_from_many_addresses_slows_them_but_not_its_owner(
        client, make_user, password, django_capture_on_commit_callbacks, mailoutbox):
    owner = make_user(Role.ADMINISTRATOR)
    assert _sign_in(client, owner.email, password, "192.0.2.10").status_code == 302  # the owner's office
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(sign_in_guard.SLOW_AFTER):  # two from each of five addresses: no pair is paused
            assert _fail(client, owner.email, address=f"10.1.0.{attempt // 2}").status_code == 200
    slowed = _sign_in(client, owner.email, password, "10.1.0.99")
    assert slowed.status_code == 429
    assert int(slowed["Retry-After"]) >= 1
    assert "Please wait" in slowed.content.decode() and "Nothing you typed was checked" in slowed.content.decode()
    assert "_auth_user_id" not in client.session
    # The owner, from where they signed in before, goes straight in.
    assert _sign_in(client, owner.email, password, "192.0.2.10").status_code == 302
    warned = [m for m in mailoutbox if m.subject == "Someone is trying to sign in to your account"]
    assert [m.to for m in warned] == [[owner.email]]
    assert f"{sign_in_guard.SLOW_AFTER} unsuccessful attempts" in warned[0].body


@override_settings(AXES_ENABLED=True)
def test_the_slowdown_passes_and_grows_with_more_failures(client, make_user, password):
    owner = make_user(Role.PRACTITIONER)
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(sign_in_guard.SLOW_AFTER):
            _fail(client, owner.email, address=f"10.2.0.{attempt // 2}")
        assert _sign_in(client, owner.email, password, "10.2.0.99").status_code == 429
        clock.shift(sign_in_guard.FIRST_WAIT)
        assert _sign_in(client, owner.email, password, "10.2.0.99").status_code == 302
        client.logout()
        for attempt in range(10):  # ten more failures, each once its wait is over: the wait doubles twice
            clock.shift(sign_in_guard.sign_in_wait(username=owner.email, ip_address="10.3.0.99"))
            assert _fail(client, owner.email, address=f"10.3.0.{attempt // 2}").status_code == 200
        waited = sign_in_guard.sign_in_wait(username=owner.email, ip_address="10.3.0.99")
        assert waited == 4 * sign_in_guard.FIRST_WAIT
        assert sign_in_guard.sign_in_wait(username=owner.email, ip_address="10.2.0.99") == dt.timedelta(0)


@override_settings(AXES_ENABLED=True)
def test_an_address_failing_on_many_accounts_is_slowed_for_accounts_new_to_it(client, make_user, password):
    regular = make_user(Role.PRACTITIONER)
    assert _sign_in(client, regular.email, password, "10.7.7.7").status_code == 302
    client.logout()
    for _ in range(sign_in_guard.SPRAY_AFTER):
        _fail(client, make_user(Role.PRACTITIONER).email, address="10.7.7.7")
    newcomer = make_user(Role.PRACTITIONER)
    assert _sign_in(client, newcomer.email, password, "10.7.7.7").status_code == 429
    assert _sign_in(client, newcomer.email, password, "10.8.8.8").status_code == 302
    client.logout()
    assert _sign_in(client, regular.email, password, "10.7.7.7").status_code == 302


@override_settings(AXES_ENABLED=True)
def test_an_administrator_sees_and_lifts_pauses(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(5):
        _fail(client, user.email, address="10.4.4.4")
    _fail(client, user.email, address="10.4.4.5")
    assert _sign_in(client, user.email, password, "10.4.4.4").status_code == 429

    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("workforce:sign_in_pauses")).content.decode()
    assert user.email in page and "10.4.4.4" in page and "Paused until" in page
    paused = next(p for p in sign_in_guard.pauses() if p.ip_address == "10.4.4.4")
    response = client.post(reverse("workforce:sign_in_pause_lift", args=[paused.pk]), follow=True)
    assert f"Signing in to {user.email} from 10.4.4.4 is no longer paused." in response.content.decode()
    assert "Paused until" not in response.content.decode()
    response = client.post(reverse("workforce:sign_in_pauses_lift_account"), {"username": user.email}, follow=True)
    assert f"1 pause lifted for {user.email}." in response.content.decode()
    client.logout()
    assert _sign_in(client, user.email, password, "10.4.4.4").status_code == 302


def test_only_administrators_see_sign_in_pauses(client, make_user):
    client.force_login(make_user(Role.TRAINING_COORDINATOR))
    assert client.get(reverse("workforce:sign_in_pauses")).status_code == 404


@override_settings(AXES_ENABLED=True)
def test_a_success_before_the_limit_resets_the_count(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(4):
        _fail(client, user.email)
    assert _sign_in(client, user.email, password, "10.0.0.1").status_code == 302
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
