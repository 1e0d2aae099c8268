"""A person's own bookings and training (My training), and the versions their pages are cached under."""


import datetime as dt
import uuid
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.functional import cached_property

from core.caching import cached_in
from workforce.models import User

from ..models import (
    Band,
    Booking,
    Completion,
    Session,
    StandardVersion,
)
from .catalogue import catalogue_version
from .sessions import session_dates_load, sessions_trained_by
from .standard import band_number_of, bands_by_number, standard_version_current

S = Booking.Status


# === A person's bookings ===================================================================================


def bookings_of(*, person: User, now: dt.datetime | None = None, past: bool = True) -> dict[str, list[Booking]]:
    """My bookings: upcoming (confirmed/awaiting approval), waiting lists with positions (`ahead`), and (unless
    past=False) the 50 latest past ones. Two queries for the upcoming and waiting, two more with the past."""
    now = now or timezone.now()
    position = (
        Booking.objects.filter(session=OuterRef("session"), status=S.WAITLISTED)
        .filter(Q(waitlist_order__lt=OuterRef("waitlist_order"))
                | Q(waitlist_order=OuterRef("waitlist_order"), pk__lt=OuterRef("pk")))  # services.waitlist_position
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = (
        Booking.objects.filter(person=person)
        .select_related("session__course", "session__event")
        .order_by("session__starts_at", "pk")
    )
    upcoming_q = Q(session__starts_at__gt=now) & ~Q(session__status=Session.Status.CANCELLED)
    current = list(
        base.filter(upcoming_q, status__in=[S.CONFIRMED, S.PENDING_APPROVAL, S.WAITLISTED]).annotate(
            ahead=Case(When(status=S.WAITLISTED, then=Coalesce(Subquery(position, output_field=IntegerField()),
                                                                Value(0))), default=Value(0))
        )
    )  # fmt: skip
    found: dict[str, list[Booking]] = {
        "upcoming": [b for b in current if b.status != S.WAITLISTED],
        "waiting": [b for b in current if b.status == S.WAITLISTED],
    }
    if past:
        # A place a manager passed on reads "Passed to <colleague> by <manager>", not just "Cancelled" (same query).
        passed_to = Booking.objects.filter(transferred_from=OuterRef("pk")).values(
            name=Coalesce(NullIf(Trim(Concat("person__first_name", Value(" "), "person__last_name")), Value("")),
                          "person__email", output_field=CharField()))[:1]
        found["past"] = [booking for booking in (
            base.exclude(upcoming_q & Q(status__in=[S.CONFIRMED, S.PENDING_APPROVAL, S.WAITLISTED]))
            .select_related("cancelled_by").annotate(passed_to=Subquery(passed_to))
            .order_by("-session__starts_at", "-pk")[:50]
        )]
    session_dates_load([b.session for bookings in found.values() for b in bookings])
    return found


# A person's own training pages (My training): made stale by training.receivers and services when their bookings,
# completions, profile or sessions they train change, or people ahead of them on a waiting list move; for everyone
# by a bulk change to people (the staff import).
PEOPLE_NAMESPACE = "training:people"


def person_namespace(person_id: int) -> str:
    return f"training:person:{person_id}"


def my_training_version(*, person: User, now: dt.datetime | None = None) -> str:
    """A token that changes whenever the person's My training page may show something new: their own changes
    (above), the catalogue's (courses, sessions, the standard; and when any session starts) and each new day
    (what is due, overdue or recent depends on the day). The page is cached under it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    token, _day = cached_in((person_namespace(person.pk), PEOPLE_NAMESPACE), f"training:my-training:{person.pk}",
                            lambda: (uuid.uuid4().hex, today), fresh=lambda value: value[1] == today)
    return f"{catalogue_version(now=now)}:{token}"


def course_ids_still_needed(*, person: User, today: dt.date | None = None) -> set[int]:
    """The courses that would close the person's gaps against the standard (never done, expired, due soon):
    cached until their record, the standard or the day changes."""
    from .. import compliance

    today = today or timezone.localdate()

    def compute() -> tuple[set[int], dt.date]:
        mine = compliance.compliance_of(person=person, today=today)
        gaps = [cell for cell in (mine.cells if mine else []) if cell.state.is_gap and cell.requirement]
        return {pk for cell in gaps for pk in cell.requirement.course_ids}, today  # type: ignore[union-attr]

    needed, _day = cached_in((person_namespace(person.pk), PEOPLE_NAMESPACE, compliance.STANDARD_NAMESPACE),
                             f"training:still-needed:{person.pk}", compute, fresh=lambda value: value[1] == today)
    return set(needed)


class MyTraining:
    """What My training shows, each part worked out only when the template first asks for it (a page served from
    the cache asks for none)."""

    def __init__(self, *, person: User, today: dt.date) -> None:
        self.person, self.today = person, today

    @cached_property
    def _bookings(self) -> dict[str, list[Booking]]:
        return bookings_of(person=self.person, past=False)

    @property
    def upcoming(self) -> list[Booking]:
        return self._bookings["upcoming"]

    @property
    def waiting(self) -> list[Booking]:
        return self._bookings["waiting"]

    @cached_property
    def compliance(self) -> list[tuple[Any, ...]]:
        from .. import compliance

        mine = compliance.compliance_of(person=self.person, today=self.today)
        if not mine:
            return []
        return compliance.requirement_lines(mine, courses=compliance.courses_for_gaps(mine),
                                            bookings=[*self.upcoming, *self.waiting])  # fmt: skip

    @cached_property
    def to_evaluate(self) -> list[Booking]:
        self._dates_load()
        return self._to_evaluate

    @cached_property
    def training(self) -> list[Session]:
        self._dates_load()
        return self._training

    @cached_property
    def _to_evaluate(self) -> list[Booking]:
        return list(bookings_to_evaluate(person=self.person, dates=False))

    @cached_property
    def _training(self) -> list[Session]:
        return list(sessions_trained_by(person=self.person, dates=False, today=self.today))

    def _dates_load(self) -> None:
        session_dates_load([*(b.session for b in self._to_evaluate), *self._training])  # one query for both lists

    @cached_property
    def completions(self) -> list[Completion]:
        return list(completions_of(person=self.person))

    @cached_property
    def band(self) -> Band | None:
        number = band_number_of(self.person)
        return None if number is None else bands_by_number().get(number)

    @cached_property
    def standard(self) -> StandardVersion | None:
        return standard_version_current()

    @property
    def due_soon_days(self) -> int:
        from ..compliance import DUE_SOON_DAYS

        return DUE_SOON_DAYS


def completions_of(*, person: User) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(person=person)
        .select_related("course", "booking__session")
        .order_by("-completed_on", "-pk")
    )


def bookings_to_evaluate(*, person: User, dates: bool = True) -> QuerySet[Booking]:
    """The person's attended sessions they have not given feedback on yet (dates=False: the caller loads the
    sessions' dates, e.g. with session_dates_load)."""
    qs = (
        Booking.objects.filter(person=person, status=S.ATTENDED, evaluation__isnull=True)
        .select_related("session__course")
        .order_by("-session__starts_at")
    )
    return qs.prefetch_related("session__dates") if dates else qs

