"""Everything training holds about a person, for the privacy app's export."""

from typing import Any

from workforce.models import User

from ..models import (
    Booking,
    BookingEvent,
    Completion,
    Evaluation,
    Session,
)
from .my_training import bookings_of

# === Personal data (the privacy app's export) ===============================================================


def personal_data_of(*, person: User) -> dict[str, tuple[str, object]]:
    """Everything training holds about a person: {key: (title, rows)}."""
    bookings = Booking.objects.filter(person=person).select_related("session__course").order_by("created_at", "pk")
    waiting: list[Any] = bookings_of(person=person)["waiting"]  # each annotated with `ahead`
    return {
        "bookings": ("Bookings", bookings),
        "booking_history": (
            "Booking status history",
            BookingEvent.objects.filter(booking__person=person).select_related("booking__session__course", "by"),
        ),
        "waiting_lists": (
            "Waiting lists",
            [{"session": str(b.session), "joined": b.created_at, "places ahead": b.ahead} for b in waiting],
        ),
        "completions": ("Completed training", Completion.objects.filter(person=person).select_related("course")),
        "completion_history": (
            "Changes to completed training", Completion.history.filter(person_id=person.pk).order_by("history_date")
        ),
        "certificates": (
            "Certificates",
            [
                {"certificate number": c.certificate_number, "course": str(c.course), "completed on": c.completed_on}
                for c in Completion.objects.filter(person=person, certificate_number__isnull=False).select_related(
                    "course"
                )
            ],
        ),
        "evaluations": (
            "Evaluations they gave",
            Evaluation.objects.filter(booking__person=person).select_related("booking__session__course"),
        ),
        "sessions_trained": ("Sessions they trained", Session.objects.filter(trainers=person).select_related("course")),
    }
