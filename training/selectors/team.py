"""What a line manager sees of their team's bookings."""

import datetime as dt

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from workforce.models import User

from ..models import (
    Booking,
)

S = Booking.Status


# === Managers ==============================================================================================


def bookings_awaiting_approval_by(*, manager: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status=S.PENDING_APPROVAL, person__profile__line_manager=manager)
        .select_related("person", "session__course")
        .prefetch_related("session__dates")
        .order_by("created_at", "pk")
    )


def team_bookings_upcoming(*, manager: User, now: dt.datetime | None = None) -> QuerySet[Booking]:
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            status=S.CONFIRMED, person__profile__line_manager=manager, session__starts_at__gt=now
        )
        .select_related("person", "session__course")
        .prefetch_related("session__dates")
        .order_by("session__starts_at", "pk")
    )


def team_of(*, manager: User) -> QuerySet[User]:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(profile__line_manager=manager, is_active=True).order_by(
        "last_name", "first_name"
    )

