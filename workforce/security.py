"""Sign-in protection: hooks used by django-axes (settings: AXES_*), and how long a wait is, in words."""

import datetime as dt


def axes_username(request, credentials) -> str:
    """Count failed sign-ins per account whatever the case the email was typed in (and without the NUL
    characters PostgreSQL cannot store)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.replace("\x00", "").strip().lower()


def sign_in_failures_clear(*, user) -> int:
    """Forget the account's failed sign-ins (after its owner proved who they are by resetting the password), so
    a paused account can sign in at once. A pause on an address stays: other accounts' failures count there."""
    from axes.utils import reset

    return reset(username=user.email.strip().lower())


def duration_in_words(value: dt.timedelta | int | float | None) -> str:
    """A period as a person says it: "15 minutes", "1 hour", "1 hour 30 minutes", "45 seconds" (a number is
    seconds). Rounded up to the minute from a minute on, so a wait is never understated."""
    if value is None or value == "":
        return ""
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
    seconds = max(int(-(-seconds // 1)), 0)
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = -(-seconds // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n)
