"""Optional two-factor sign-in for administrators and training coordinators (django-otp TOTP)."""

import datetime as dt

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role
from workforce.two_factor import secret_for_typing

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 9, 0, 0, tzinfo=dt.UTC)  # the start of a 30-second step


@pytest.fixture(autouse=True)
def clock():
    """Time stands still unless a test moves it: codes are predictable, and a wrong code's throttle
    (1 s, then 2 s, 4 s, …) is waited out by moving the clock, not by sleeping."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits, drift=drift):06d}"


def enrol(client, user) -> TOTPDevice:
    client.force_login(user)
    client.post("/accounts/two-factor/set-up/", {"start": "1"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/two-factor/set-up/", {"code": code(device)}, follow=True)
    assert "Two-factor sign-in is on." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.LINE_MANAGER, Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER])
def test_only_administrators_and_coordinators_may_set_it_up(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get("/accounts/two-factor/").status_code == 404
    assert client.post("/accounts/two-factor/set-up/", {"start": "1"}).status_code == 404
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR])
def test_setting_up_shows_a_qr_code_drawn_here_and_needs_a_right_code(client, make_user, role, clock):
    user = make_user(role)
    client.force_login(user)
    assert "Set up two-factor sign-in" in client.get("/accounts/two-factor/").content.decode()
    page = client.post("/accounts/two-factor/set-up/", {"start": "1"}, follow=True).content.decode()
    assert 'src="data:image/svg+xml' in page and "QR code to add the Workforce Portal" in page
    device = TOTPDevice.objects.get(user=user)
    assert "otpauth://" not in page  # the link is only inside the drawn image
    wrong = client.post("/accounts/two-factor/set-up/", {"code": f"{(int(code(device)) + 1) % 10**6:06d}"})
    assert "That code is not right or has expired." in wrong.content.decode()
    assert "Enter the 6 digits" in client.post("/accounts/two-factor/set-up/", {"code": "abc"}).content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    clock.shift(2)  # past the throttle the wrong code started
    response = client.post("/accounts/two-factor/set-up/", {"code": code(device)}, follow=True)
    assert "Two-factor sign-in is on." in response.content.decode()
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_once_set_up_every_page_and_the_admin_ask_for_the_code(client, make_user, password, clock):
    admin = make_user(Role.ADMINISTRATOR)
    device = enrol(client, admin)
    client.logout()
    response = client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    assert response.status_code == 302
    for url in ("/", "/training/", "/admin/", "/data-protection/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/verify/"), url
    page = client.post("/accounts/two-factor/verify/?next=/admin/", {"code": "000000", "next": "/admin/"})
    assert "That code is not right or has expired." in page.content.decode()
    clock.shift(30)  # the next step's code (the one used to set up cannot be used again)
    response = client.post("/accounts/two-factor/verify/", {"code": code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/data-protection/").status_code == 200


def test_the_code_page_sends_nobody_elsewhere(client, make_user, password, clock):
    admin = make_user(Role.ADMINISTRATOR)
    device = enrol(client, admin)
    client.logout()
    client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    clock.shift(30)
    response = client.post("/accounts/two-factor/verify/", {"code": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_too_many_wrong_codes_are_throttled(client, make_user, password, clock):
    admin = make_user(Role.ADMINISTRATOR)
    device = enrol(client, admin)
    client.logout()
    client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    clock.shift(30)
    for _ in range(3):
        client.post("/accounts/two-factor/verify/", {"code": "000000"})
    page = client.post("/accounts/two-factor/verify/", {"code": code(device)}).content.decode()
    assert "Too many wrong codes." in page  # even the right code, for 4 seconds after the third wrong one
    assert client.get("/").status_code == 302
    clock.shift(5)
    assert client.post("/accounts/two-factor/verify/", {"code": code(device)})["Location"] == "/"


def test_people_without_it_are_not_asked(client, make_user, password):
    admin = make_user(Role.ADMINISTRATOR)
    client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    assert client.get("/").status_code == 200


def test_turning_it_off_needs_a_current_code(client, make_user, clock):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    device = enrol(client, coordinator)
    wrong = client.post("/accounts/two-factor/turn-off/", {"code": "000000"}).content.decode()
    assert "That code is not right" in wrong
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    clock.shift(30)
    response = client.post("/accounts/two-factor/turn-off/", {"code": code(device)}, follow=True)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sets_it_up_and_signs_in_with_a_code(page, make_user, sign_in, assert_accessible, clock):
    coordinator = make_user(Role.TRAINING_COORDINATOR, first_name="Cora", last_name="Coordinator")
    sign_in(page, coordinator)
    page.goto("/people/account/")
    page.get_by_role("link", name="Two-factor sign-in").click()
    assert_accessible(page)
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    qr = page.get_by_role("img", name="QR code to add the Workforce Portal to an authenticator app")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the browser drew it
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=coordinator)
    page.get_by_label("Code from your authenticator app").fill(code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert "Two-factor sign-in is on." in page.get_by_role("status").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").first.click()
    clock.shift(30)
    sign_in(page, coordinator)
    assert page.get_by_role("heading", level=1).inner_text() == "Enter your code"
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert "That code is not right" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    clock.shift(2)
    page.get_by_label("Code from your authenticator app").fill(code(device))
    page.get_by_role("button", name="Continue").click()
    assert "/accounts/two-factor/" not in page.url
    assert page.get_by_role("heading", level=1).inner_text() != "Enter your code"
    assert_accessible(page)


def test_an_administrator_deletes_a_lost_device_but_never_sees_or_sets_a_secret(client, make_user, clock):
    """The recovery path (docs/architecture.md): the device goes, in the Django admin. Its secret is never
    shown there (no key, no QR code), and no device can be added or moved to another person's account: whoever
    knew the secret could then pass that person's second step."""
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    device = enrol(client, coordinator)
    admin = make_user(Role.ADMINISTRATOR)
    client.force_login(admin)
    base = f"/admin/otp_totp/totpdevice/{device.pk}"
    page = client.get(f"{base}/change/").content.decode()
    assert device.key not in page and secret_for_typing(device).replace(" ", "") not in page
    assert 'name="key"' not in page and 'name="user"' not in page  # read-only: nothing to change
    assert client.get(f"{base}/config/").status_code == 403
    assert client.get(f"{base}/qrcode/").status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    assert client.post(f"{base}/change/", {"user": admin.pk, "name": "Mine", "confirmed": "on"}).status_code == 403
    assert TOTPDevice.objects.get(pk=device.pk).user == coordinator
    client.post(f"{base}/delete/", {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.parametrize("next_url", ["0", ":", "portal:nothing", "abc"])
def test_a_next_that_is_not_a_path_goes_home(client, make_user, password, clock, next_url):
    """Found by tests/portal/test_bad_input.py: `redirect("0")` looked "0" up as a view name (a 500)."""
    admin = make_user(Role.ADMINISTRATOR)
    device = enrol(client, admin)
    client.logout()
    client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    clock.shift(30)
    response = client.post(f"/accounts/two-factor/verify/?next={next_url}", {"code": code(device), "next": next_url})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(f"/accounts/two-factor/verify/?next={next_url}")["Location"] == "/"  # verified now
