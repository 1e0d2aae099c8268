"""The session-timeout warning (WCAG 2.2.1): two minutes before an idle session ends the page says so and offers
to stay signed in; staying renews the session on the server; an ended session says so and links to sign in."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db


def test_staying_signed_in_renews_the_session_on_the_server(client, make_user):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client.force_login(make_user(Role.PRACTITIONER))
        page = client.get(reverse("portal:home")).content.decode()
        assert 'data-session-seconds="7200"' in page and 'id="session-timeout"' in page
        first = Session.objects.get().expire_date
        clock.shift(dt.timedelta(minutes=118, seconds=30))
        response = client.get(reverse("workforce:keep_alive"))
        assert response.status_code == 204
        assert Session.objects.get().expire_date == first + dt.timedelta(minutes=118, seconds=30)


def test_signed_out_pages_carry_no_warning(client):
    page = client.get(reverse("login")).content.decode()
    assert "data-session-seconds" not in page and 'id="session-timeout"' not in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_warning_comes_two_minutes_before_and_stay_signed_in_keeps_the_page(page, make_user, sign_in,
                                                                               assert_accessible):
    page.clock.install()
    sign_in(page, make_user(Role.PRACTITIONER))
    warning = page.locator("#session-timeout")
    assert warning.is_hidden()
    page.clock.fast_forward("01:57:50")
    assert warning.is_hidden()
    page.clock.fast_forward("00:00:20")  # 1 h 58 min 10 s idle: two minutes (less ten seconds) to go
    assert warning.is_visible()
    assert page.evaluate("document.activeElement.id") == "session-timeout"
    assert_accessible(page)
    with page.expect_response(lambda r: "/keep-alive/" in r.url) as kept:
        page.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    page.wait_for_function("document.getElementById('session-timeout').hidden")
    page.clock.fast_forward("02:00:01")  # the full idle period again, with no click: signed out
    assert warning.is_visible()
    assert page.get_by_role("link", name="Sign in again").is_visible()
