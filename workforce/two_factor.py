"""Optional two-factor sign-in (TOTP) for administrators and training coordinators; the QR code is
drawn here so the secret never leaves the server (docs/workforce.md)."""

from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role, has_role

DEVICE_NAME = "Authenticator app"


class TwoFactorError(Exception):
    """A code that did not match, or too many tries; the message is shown next to the code field."""


def can_use_two_factor(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR)


def two_factor_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_pending(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def two_factor_start(*, user) -> TOTPDevice:
    """A new secret waiting to be confirmed with a code (any earlier unconfirmed one is replaced)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


# django-otp doubles the wait after each wrong code (1 s, 2 s, 4 s, …; OTP_TOTP_THROTTLE_FACTOR seconds times
# 2^(wrong codes - 1)) with no practical limit: twenty wrong codes, from someone who knows the password, would
# lock the owner out for six days. The count stops growing at this many, so the longest wait is 2^9 s (8 min 32 s)
# and every further wrong code restarts it: at most ~170 guesses a day (docs/portal.md, "Signing in").
THROTTLE_MAX_FAILURES = 10


def _too_many(details: dict) -> TwoFactorError:
    from django.utils import timezone

    from .security import duration_in_words

    wait = (details["locked_until"] - timezone.now()) if details.get("locked_until") else None
    when = f"Wait {duration_in_words(wait)}" if wait is not None else "Wait a little"
    return TwoFactorError(f"Too many wrong codes. {when}, then enter the code your app shows now.")


def _checked(device: TOTPDevice, token: str) -> None:
    """Raise TwoFactorError unless the code matches. Call it outside the transaction that locked the device
    (or after it commits): a wrong code's throttling count must be kept, not rolled back with the error."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise _too_many(details or {})
    if not device.verify_token(token.replace(" ", "")):
        if device.throttling_failure_count > THROTTLE_MAX_FAILURES:
            device.throttling_failure_count = THROTTLE_MAX_FAILURES
            device.save(update_fields=["throttling_failure_count"])
        raise TwoFactorError("That code is not right or has expired. Enter the 6-digit code your app shows now.")


def _locked_check(device_id: int, token: str) -> TOTPDevice:
    """Check a code with the device row locked (two tries at once cannot both use one code); the failure
    count is committed before the error is raised."""
    error = None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device_id)
        try:
            _checked(device, token)
        except TwoFactorError as exc:
            error = exc
    if error is not None:
        raise error
    return device


def two_factor_confirm(*, request, device: TOTPDevice, token: str) -> TOTPDevice:
    """Turn two-factor sign-in on: the first code from the app proves it holds the secret."""
    device = _locked_check(device.pk, token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    return device


def two_factor_verify(*, request, token: str) -> TOTPDevice:
    """After the password: check the code and mark this session verified."""
    device = two_factor_device(request.user)
    if device is None:
        raise TwoFactorError("Two-factor sign-in is not set up for this account.")
    device = _locked_check(device.pk, token)
    django_otp.login(request, device)
    return device


def two_factor_remove(*, user, token: str) -> None:
    """Turn it off, with a current code (someone who lost their phone asks an administrator, who deletes
    the device in the Django admin)."""
    device = two_factor_device(user)
    if device is None:
        raise TwoFactorError("Two-factor sign-in is not on.")
    _locked_check(device.pk, token)
    TOTPDevice.objects.filter(user=user).delete()


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// link as a QR code, an SVG data URI drawn on the server."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps set up by typing it."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# Pages a signed-in person still waiting to enter their code may reach.
OPEN_PATHS = ("/accounts/two-factor/verify/", "/accounts/sign-out/", "/healthz", "/privacy/", "/accessibility/")


class TwoFactorRequiredMiddleware:
    """Sends a signed-in person with a confirmed authenticator and an unverified session to the code page;
    only people whose roles can use two-factor are looked up, so other pages cost no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PATHS + (settings.STATIC_URL,))
            and can_use_two_factor(user)
            and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        ):
            return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
