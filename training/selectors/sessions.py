"""Sessions with their places counted, for lists, pages and registers."""


import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from workforce.models import User

from ..models import (
    Booking,
    Session,
)

S = Booking.Status


# === Sessions and places ==================================================================================


def sessions_with_places(queryset: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Sessions annotated with places_taken, places_left, waiting and pending; dates and course loaded.
    Counted by subqueries per session, so a list cut to its first rows counts only those."""
    queryset = queryset if queryset is not None else Session.objects.all()
    return (
        queryset.select_related("course", "event")
        .prefetch_related("dates")
        .annotate(
            places_taken=_bookings_count(Booking.PLACE_STATUSES),
            waiting=_bookings_count([S.WAITLISTED]),
            pending=_bookings_count([S.PENDING_APPROVAL]),
        )
    )


def _bookings_count(statuses: Iterable[str]) -> Coalesce:
    """The number of the session's bookings in these statuses (for annotating sessions)."""
    return Coalesce(
        Subquery(
            Booking.objects.filter(session=OuterRef("pk"), status__in=list(statuses))
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def sessions_upcoming(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    return Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)


def sessions_open_with_places(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Upcoming, scheduled sessions with at least one place left."""
    return (
        sessions_upcoming(now=now)
        .annotate(taken_now=_bookings_count(Booking.PLACE_STATUSES))
        .filter(taken_now__lt=F("capacity"))
    )


def session_for_page(*, pk: int) -> Session:
    return sessions_with_places(Session.objects.filter(pk=pk)).prefetch_related("trainers").get()


def session_dates_load(sessions: Iterable[Session]) -> None:
    """Load the dates of all these sessions in one query (what a page's several lists would prefetch apart)."""
    prefetch_related_objects([s for s in sessions if "dates" not in getattr(s, "_prefetched_objects_cache", {})],
                             "dates")  # fmt: skip


def sessions_awaiting_register(*, now: dt.datetime | None = None) -> QuerySet[Session]:
    """Sessions that have started but whose register is not closed yet, oldest first (the coordinator's to-do)."""
    now = now or timezone.now()
    return sessions_with_places(
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
    ).order_by("starts_at", "pk")


def sessions_trained_by(*, person: User, today: dt.date | None = None, dates: bool = True) -> QuerySet[Session]:
    """Sessions the person trains, from the same day a month ago on (their registers), not cancelled."""
    since = (today or timezone.localdate()) - dt.timedelta(days=31)
    qs = (
        Session.objects.filter(trainers=person,
                               starts_at__gte=dt.datetime.combine(since, dt.time.min,
                                                                  tzinfo=timezone.get_current_timezone()))
        .exclude(status=Session.Status.CANCELLED)
        .select_related("course")
        .order_by("starts_at", "pk")
    )
    return qs.prefetch_related("dates") if dates else qs

