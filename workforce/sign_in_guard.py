"""Sign-in throttling an attacker cannot turn against the account's owner: accounts and addresses failing widely
are slowed only for places new to them, above django-axes's per-(account, address) pause (docs/operations.md,
"Sign-in pauses")."""

import datetime as dt
import logging
from dataclasses import dataclass

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone

logger = logging.getLogger(__name__)

SLOW_AFTER = 10  # failures on one account, across addresses, before new addresses are slowed
SPRAY_AFTER = 20  # accounts failed from one address before it is slowed for accounts new to it
FIRST_WAIT = dt.timedelta(seconds=2)  # doubles every DOUBLE_EVERY further failures, up to the cool-off
DOUBLE_EVERY = 5


@dataclass(frozen=True, kw_only=True)
class Pause:
    """One row of the administrator's list: an (account, address) pair's failures in the cool-off."""

    pk: int
    username: str
    ip_address: str
    failures: int
    last_at: dt.datetime
    paused_until: dt.datetime | None


def _window(now: dt.datetime) -> dt.datetime:
    return now - settings.AXES_COOLOFF_TIME


def _signed_in_before(*, username: str, ip_address: str) -> bool:
    return bool(AccessLog.objects.filter(username__iexact=username, ip_address=ip_address).exists())


def _wait_after(failures: int, over: int) -> dt.timedelta:
    doubled = FIRST_WAIT * (1 << min(max(failures - over, 0) // DOUBLE_EVERY, 20))
    cooloff: dt.timedelta = settings.AXES_COOLOFF_TIME
    return min(doubled, cooloff)


def account_failures(*, username: str, now: dt.datetime | None = None) -> tuple[int, dt.datetime | None]:
    """The account's failed sign-ins in the cool-off, from every address, and when the last one was."""
    found = AccessAttempt.objects.filter(username=username, attempt_time__gte=_window(now or timezone.now()))
    totals = found.aggregate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
    return totals["failures"] or 0, totals["last_at"]


def sign_in_wait(*, username: str, ip_address: str, now: dt.datetime | None = None) -> dt.timedelta:
    """How long this address must wait before its password is checked for this account (zero: go ahead)."""
    now = now or timezone.now()
    waits = [dt.timedelta(0)]
    failures, last_at = account_failures(username=username, now=now)
    if failures >= SLOW_AFTER and last_at is not None:
        waits.append(last_at + _wait_after(failures, SLOW_AFTER) - now)
    from_here = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=_window(now)).aggregate(
        accounts=Count("username", distinct=True), last_at=Max("attempt_time"))
    if from_here["accounts"] >= SPRAY_AFTER and from_here["last_at"] is not None:
        waits.append(from_here["last_at"] + _wait_after(from_here["accounts"], SPRAY_AFTER) - now)
    longest = max(waits)
    if longest and _signed_in_before(username=username, ip_address=ip_address):
        return dt.timedelta(0)
    return longest


def pauses(*, now: dt.datetime | None = None) -> list[Pause]:
    """Every (account, address) pair with failures in the cool-off, paused ones first, then the latest."""
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(attempt_time__gte=_window(now)).order_by("-attempt_time")
    found = [
        Pause(pk=row.pk, username=row.username or "", ip_address=row.ip_address or "",
              failures=row.failures_since_start, last_at=row.attempt_time,
              paused_until=row.attempt_time + settings.AXES_COOLOFF_TIME
              if row.failures_since_start >= settings.AXES_FAILURE_LIMIT else None)
        for row in rows[:500]
    ]  # fmt: skip
    return sorted(found, key=lambda pause: pause.paused_until is None)


def pause_lift(*, pk: int, by: object) -> Pause | None:
    """An administrator lifts one pair's pause (and forgets its failures). None if it had already gone."""
    row = AccessAttempt.objects.filter(pk=pk).first()
    if row is None:
        return None
    lifted = Pause(pk=row.pk, username=row.username or "", ip_address=row.ip_address or "",
                   failures=row.failures_since_start, last_at=row.attempt_time, paused_until=None)
    row.delete()
    logger.warning("Sign-in pause lifted by %s: %s from %s", by, lifted.username, lifted.ip_address)
    return lifted


def pauses_lift_for_account(*, username: str, by: object) -> int:
    """Lift every pause and forget every failure of one account, from every address."""
    deleted, _ = AccessAttempt.objects.filter(username=username).delete()
    logger.warning("Sign-in pauses lifted by %s for %s (%s)", by, username, deleted)
    return int(deleted)


def owner_warn_if_attacked(*, username: str) -> None:
    """Once an account reaches SLOW_AFTER failures, tell its owner (once per attack: at exactly that count)."""
    from .models import User
    from .services import email_send_on_commit

    failures, _ = account_failures(username=username)
    if failures != SLOW_AFTER:
        return
    owner = User.objects.filter(email__iexact=username, is_active=True).first()
    if owner is not None:
        email_send_on_commit(
            to=[owner.email], subject="Someone is trying to sign in to your account",
            template="workforce/emails/sign_in_attacked",
            context={"person": owner, "failures": failures, "site_url": settings.SITE_URL.rstrip("/"),
                     "cooloff": settings.AXES_COOLOFF_TIME},
        )  # fmt: skip
