"""Wrong two-factor codes: the page says how long to wait, and the wait stops doubling (workforce.two_factor)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role
from tests.workforce.test_two_factor import clock, code, enrol  # noqa: F401 - the frozen clock fixture
from workforce.two_factor import THROTTLE_MAX_FAILURES

pytestmark = pytest.mark.django_db


def _signed_in_waiting_for_a_code(client, make_user, password, clock):  # noqa: F811
    admin = make_user(Role.ADMINISTRATOR)
    device = enrol(client, admin)
    client.logout()
    client.post("/accounts/sign-in/", {"username": admin.email, "password": password})
    clock.shift(30)
    return device


def _wrong(client) -> str:
    return client.post("/accounts/two-factor/verify/", {"code": "000000"}).content.decode()


def test_the_throttle_message_says_how_long_to_wait(client, make_user, password, clock):  # noqa: F811
    device = _signed_in_waiting_for_a_code(client, make_user, password, clock)
    for wait in (1, 2, 0):  # three wrong codes, each after the wait the one before started
        _wrong(client)
        clock.shift(wait)
    page = client.post("/accounts/two-factor/verify/", {"code": code(device)}).content.decode()
    assert "Too many wrong codes. Wait 4 seconds, then enter the code your app shows now." in page
    assert "Wait a minute" not in page
    clock.shift(3)
    page = client.post("/accounts/two-factor/verify/", {"code": code(device)}).content.decode()
    assert "Wait 1 second," in page


def test_the_wait_stops_doubling_at_8_and_a_half_minutes(client, make_user, password, clock):  # noqa: F811
    """Without a cap, 15 wrong codes would lock the owner out for 4.5 hours (2^14 s), 20 for six days."""
    device = _signed_in_waiting_for_a_code(client, make_user, password, clock)
    for failures in range(1, 16):
        assert "That code is not right" in _wrong(client)
        clock.shift(min(2 ** (failures - 1), 2 ** (THROTTLE_MAX_FAILURES - 1)))  # wait out each throttle
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == THROTTLE_MAX_FAILURES
    assert "That code is not right" in _wrong(client)  # the 16th: a wait of 2^9 s, not 2^15
    clock.shift(500)
    assert "Wait 12 seconds," in client.post("/accounts/two-factor/verify/", {"code": code(device)}).content.decode()
    clock.shift(12)
    assert client.post("/accounts/two-factor/verify/", {"code": code(device)})["Location"] == "/"
