"""What the privacy app's anonymiser asks of training."""

from typing import Any, Protocol

from django.db.models import QuerySet

from workforce.models import User

from ..models import (
    BookingEvent,
    Completion,
    Evaluation,
    Session,
)


class Redactor(Protocol):
    """privacy.redaction's rewriter (privacy sits above training, so only its shape is named here)."""

    def rewrite(self, queryset: QuerySet[Any], fields: list[str]) -> int: ...


# === Personal data (the privacy app anonymises and applies retention through these) =======================


def personal_data_anonymise(*, person: User, redact: Redactor) -> dict[str, int]:
    """Bookings, completions, attendance and evaluations stay (they are counted) and keep pointing at the
    person, who is now the placeholder; free text that named them is rewritten, history included."""
    return {
        "booking notes": redact.rewrite(BookingEvent.objects.all(), ["note"]),
        "completion notes": redact.rewrite(Completion.objects.all(), ["notes"])
        + redact.rewrite(Completion.history.all(), ["notes"]),
        "evaluation comments": redact.rewrite(Evaluation.objects.all(), ["comments"]),
        "session notes": redact.rewrite(Session.objects.all(), ["notes", "access_notes"])
        + redact.rewrite(Session.history.all(), ["notes", "access_notes"]),
    }

