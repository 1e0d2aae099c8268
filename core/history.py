"""Who made a change and why, for django-simple-history's next record of an object, in words mypy can check."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Model


def history_note(obj: Model, *, by: object, reason: str | None = None) -> None:
    """The next history record of `obj` (its save or delete) names `by` and, given one, the reason."""
    setattr(obj, "_history_user", by)  # noqa: B010 - simple_history reads these private attributes
    if reason is not None:
        setattr(obj, "_change_reason", reason)  # noqa: B010


@contextmanager
def history_skipped(obj: Model) -> Iterator[None]:
    """Saves of `obj` inside the block write no history record."""
    setattr(obj, "skip_history_when_saving", True)  # noqa: B010
    try:
        yield
    finally:
        delattr(obj, "skip_history_when_saving")
