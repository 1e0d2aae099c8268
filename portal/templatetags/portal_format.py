"""Small formatting filters for portal pages: `{% load portal_format %}`."""

import datetime as dt

from django import template

register = template.Library()


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


@register.filter
def duration(value) -> str:
    return duration_in_words(value)
