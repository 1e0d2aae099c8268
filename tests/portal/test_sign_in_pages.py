"""What people see around signing in: the lockout page and how a password reset lifts it, signing out, where
password-strength errors go, the account page's phone number and the error page's promise."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.template import loader
from django.test import TestCase, override_settings
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db


def _fail(client, email, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=address)


def _reset_link(client, user) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):  # the email leaves through the outbox after commit
        client.post(reverse("password_reset"), {"email": user.email})
    body = mail.outbox[-1].body
    path = "/" + re.search(r"https?://[^/]+/(accounts/password/reset/\S+)", body).group(1)
    return client.get(path, follow=True).redirect_chain[-1][0]


@override_settings(AXES_ENABLED=True)
def test_the_lockout_page_says_how_long_in_words_and_is_true_for_an_account_or_an_address(client, make_user):
    user = make_user(Role.PRACTITIONER)
    for _ in range(5):
        locked = _fail(client, user.email)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert "signing in is paused for 15 minutes." in page
    assert "0:15:00" not in page
    assert "to this account or from your network" in page
    assert "for this account" not in page


@override_settings(AXES_ENABLED=True, AXES_COOLOFF_TIME=dt.timedelta(minutes=90))
def test_a_longer_cooling_off_period_is_said_in_hours_and_minutes(client, make_user):
    user = make_user(Role.PRACTITIONER)
    for _ in range(5):
        locked = _fail(client, user.email)
    assert "paused for 1 hour 30 minutes." in locked.content.decode()


@override_settings(AXES_ENABLED=True)
def test_a_completed_password_reset_lifts_the_accounts_lockout(client, make_user, password):
    """The lockout page offers "reset your password": doing so lets the person in at once."""
    user = make_user(Role.PRACTITIONER)
    for _ in range(5):
        _fail(client, user.email, address="10.0.0.1")
    assert client.post(reverse("login"), {"username": user.email, "password": password},
                       REMOTE_ADDR="10.0.0.1").status_code == 429  # fmt: skip
    form_url = _reset_link(client, user)
    done = client.post(form_url, {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"})
    assert done.status_code == 302
    signed_in = client.post(reverse("login"), {"username": user.email, "password": "a-brand-new-passphrase"},
                            REMOTE_ADDR="10.0.0.1")  # fmt: skip
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@override_settings(AXES_ENABLED=True)
def test_an_abandoned_password_reset_leaves_the_lockout_in_place(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    for _ in range(5):
        _fail(client, user.email, address="10.0.0.3")
    form_url = _reset_link(client, user)
    client.post(form_url, {"new_password1": "short", "new_password2": "short"})  # refused: too short
    again = client.post(reverse("login"), {"username": user.email, "password": password}, REMOTE_ADDR="10.0.0.3")
    assert again.status_code == 429


def test_the_sign_out_address_shows_a_sign_out_button(client, make_user):
    user = make_user(Role.PRACTITIONER)
    client.force_login(user)
    page = client.get(reverse("logout"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert '<button type="submit" class="btn btn-primary">Sign out</button>' in html
    assert client.get(reverse("portal:home")).status_code == 200  # a GET signs nobody out


def test_signing_out_says_so_on_the_sign_in_page(client, make_user):
    client.force_login(make_user(Role.PRACTITIONER))
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.content.decode()
    anonymous = client.get(reverse("logout"))
    assert anonymous.status_code == 200
    assert "You are signed out" in anonymous.content.decode()


def test_a_weak_new_password_is_reported_on_the_new_password_field(client, make_user):
    user = make_user(Role.PRACTITIONER)
    form_url = _reset_link(client, user)
    page = client.post(form_url, {"new_password1": "password", "new_password2": "password"}).content.decode()
    assert 'href="#id_new_password1">New password: This password is too short.' in page
    assert 'href="#id_new_password2"' not in page


def test_changing_to_a_weak_password_is_reported_on_the_new_password_field(client, make_user, password):
    client.force_login(make_user(Role.PRACTITIONER))
    page = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "12345678901", "new_password2": "12345678901"},
    ).content.decode()
    assert 'href="#id_new_password1">New password: This password is entirely numeric.' in page
    assert 'href="#id_new_password2"' not in page
    mismatch = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "a-brand-new-one", "new_password2": "another-one-here"},
    ).content.decode()
    assert 'href="#id_new_password2">New password confirmation: The two password fields' in mismatch


@pytest.mark.parametrize("phone", ["not a number", "12345", "0113 496 0000 ext. 12", "+44 (0)113 496 0000 00000000"])
def test_my_account_refuses_a_phone_number_that_is_not_one(client, make_user, phone):
    user = make_user(Role.PRACTITIONER, phone="0113 496 0000")
    client.force_login(user)
    page = client.post(reverse("workforce:account"), {"first_name": "Jo", "last_name": "Smith", "phone": phone})
    assert 'href="#id_phone">Phone: Enter a telephone number using digits, spaces, + and brackets' in (
        page.content.decode()
    )
    user.refresh_from_db()
    assert (user.first_name, user.phone) != ("Jo", phone)


@pytest.mark.parametrize("phone", ["01632 960123", "+44 7700 900123", "(01632) 960123", "07700900123"])
def test_my_account_takes_uk_phone_numbers(client, make_user, phone):
    user = make_user(Role.PRACTITIONER)
    client.force_login(user)
    client.post(reverse("workforce:account"), {"first_name": "Jo", "last_name": "Smith", "phone": f" {phone} "})
    user.refresh_from_db()
    assert user.phone == phone


def test_the_error_page_promises_nothing_it_cannot_keep():
    """Requests are not atomic (ATOMIC_REQUESTS is off: booking locks are held only as long as the booking),
    so the page cannot say nothing was half-saved."""
    html = loader.get_template("500.html").render()
    assert "half-saved" not in html
    assert "it may or may not have been saved" in html
