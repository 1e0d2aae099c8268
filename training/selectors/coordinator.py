"""The coordinator's lists, registers, evaluations and course history."""

import datetime as dt
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from ..models import (
    Booking,
    BookingEvent,
    Course,
    Evaluation,
    Event,
    Session,
)
from .sessions import sessions_with_places

S = Booking.Status


# === Coordinators ==========================================================================================


def sessions_for_coordinator(*, now: dt.datetime | None = None, include_past: bool = False) -> QuerySet[Session]:
    now = now or timezone.now()
    qs = Session.objects.all() if include_past else Session.objects.filter(ends_at__gte=now)
    return sessions_with_places(qs).order_by("starts_at", "pk")


def session_bookings_with_history(*, session: Session) -> QuerySet[Booking]:
    return (
        session.bookings.select_related("person__profile__organisation", "booked_by")
        .prefetch_related(Prefetch("events", queryset=BookingEvent.objects.select_related("by")))
        .order_by("created_at", "pk")
    )


def courses_for_coordinator() -> QuerySet[Course]:
    return (
        Course.objects.select_related("provider")
        .prefetch_related("themes")
        .annotate(session_count=Count("sessions"), first_upcoming=Min("sessions__starts_at"))
        .order_by("title")
    )


def events_for_coordinator() -> QuerySet[Event]:
    return Event.objects.annotate(session_count=Count("sessions"))


# --- register, certificates, evaluations, compliance ---------------------------------------------------


def register_bookings(*, session: Session) -> list[Booking]:
    """The people holding a place (confirmed, attended, did not attend), by name, with their completion."""
    return list(
        session.bookings.filter(status__in=Booking.PLACE_STATUSES)
        .select_related("person__profile__organisation", "attendance_marked_by", "completion")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def register_counts(bookings: list[Booking]) -> dict[str, int]:
    counts = {"total": len(bookings), "attended": 0, "no_show": 0, "unmarked": 0}
    for booking in bookings:
        key = {S.ATTENDED.value: "attended", S.NO_SHOW.value: "no_show"}.get(booking.status, "unmarked")
        counts[key] += 1
    return counts


def register_requests_waiting(*, session: Session) -> list[Booking]:
    """Those on the waiting list or awaiting approval: closing the session lapses their requests."""
    return list(session.bookings.filter(status__in=[S.WAITLISTED, S.PENDING_APPROVAL]).select_related("person")
                .order_by("person__last_name", "person__first_name", "pk"))


def session_for_register(*, pk: int) -> Session:
    return sessions_with_places(Session.objects.filter(pk=pk)).prefetch_related("trainers").get()


def evaluation_summary(evaluations: QuerySet[Evaluation]) -> dict[str, Any]:
    """Average, distribution (every rating 5…1, with count and percent) and the comments. Two queries."""
    by_rating = dict(evaluations.values_list("rating").annotate(n=Count("pk")).order_by())
    total = sum(by_rating.values())
    average = sum(r * n for r, n in by_rating.items()) / total if total else None
    return {
        "count": total,
        "average": round(average, 1) if average is not None else None,
        "distribution": [
            {"rating": r, "count": by_rating.get(r, 0), "percent": round(100 * by_rating.get(r, 0) / total) if total
             else 0}
            for r in range(5, 0, -1)
        ],
        "comments": list(
            evaluations.exclude(comments="")
            .select_related("booking__session")
            .order_by("-submitted_at")
            .values("rating", "comments", "submitted_at", "booking__session__starts_at")[:200]
        ),
    }


def evaluations_of_session(*, session: Session) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(booking__session=session)


def evaluations_of_course(*, course: Course) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(booking__session__course=course)


def course_sessions_evaluated(*, course: Course, now: dt.datetime | None = None) -> QuerySet[Session]:
    """The course's sessions that have started, each with its attendance and evaluation figures."""
    now = now or timezone.now()
    return (
        Session.objects.filter(course=course, starts_at__lte=now)
        .exclude(status=Session.Status.CANCELLED)
        .annotate(
            attended=Count("bookings", filter=Q(bookings__status=S.ATTENDED), distinct=True),
            evaluations=Count("bookings__evaluation", distinct=True),
            average_rating=Avg("bookings__evaluation__rating"),
        )
        .order_by("-starts_at")
    )


def course_history(*, course: Course) -> QuerySet[Booking]:
    """Every booking ever made on the course's sessions, with what became of it (for the CSV export)."""
    return (
        Booking.objects.filter(session__course=course)
        .select_related("session", "person__profile__organisation", "completion", "evaluation")
        .order_by("session__starts_at", "session_id", "person__last_name", "pk")
    )
