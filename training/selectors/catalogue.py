"""The catalogue and course pages, and the cache versions that keep them fresh."""


import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property

from core.caching import cached_in
from workforce.models import User

from ..compliance import STANDARD_NAMESPACE
from ..models import (
    Booking,
    Course,
    Event,
    Session,
    Theme,
)
from .sessions import sessions_upcoming, sessions_with_places
from .standard import CATALOGUE_FACETS_KEY, band_number_of, bands_by_number, course_ids_required_for_band

# === The catalogue ========================================================================================


def courses_catalogue(*, user: User, now: dt.datetime | None = None) -> QuerySet[Course]:
    """Active courses in catalogue order. FilterSets narrow it; `courses_with_cards` adds what a card shows."""
    return Course.objects.filter(is_active=True).order_by("title", "code", "pk")


def _with_card_figures(queryset: QuerySet[Course], *, now: dt.datetime | None = None) -> QuerySet[Course]:
    """Next upcoming session and number of upcoming sessions (`_mark_required` adds "required for you")."""
    now = now or timezone.now()
    upcoming = sessions_upcoming(now=now).filter(course=OuterRef("pk"))
    return (
        queryset.select_related("provider")
        .prefetch_related("themes")
        .annotate(
            next_session_at=Subquery(upcoming.order_by("starts_at").values("starts_at")[:1]),
            upcoming_count=Coalesce(
                Subquery(upcoming.values("course").annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
                Value(0),
            ),
        )
    )


def _mark_required(courses: list[Course], *, user: User) -> list[Course]:
    """Set `required_for_me`: whether the current standard asks the course of the user's band."""
    required = course_ids_required_for_band(band_number_of(user))
    for course in courses:
        course.required_for_me = course.pk in required
    return courses


def courses_with_cards(*, ids: Iterable[int], user: User, now: dt.datetime | None = None) -> list[Course]:
    """The courses of one page of the catalogue (in the given order) with their card figures. Computing the
    figures only for the page keeps a deep page as fast as the first."""
    ids = list(ids)
    by_pk = {c.pk: c for c in _with_card_figures(Course.objects.filter(pk__in=ids), now=now)}
    return _mark_required([by_pk[pk] for pk in ids if pk in by_pk], user=user)


class CatalogueResults:
    """One page of the catalogue's results, worked out only when a template first asks for it: a page served from
    the cache (templates/training/catalogue.html) runs none of its queries."""

    PAGE_SIZE = 20

    def __init__(self, queryset: QuerySet[Course], *, page_number: str | int | None, user: User,
                 places_free: bool, personal: bool = False) -> None:
        self._queryset, self._page_number, self._user = queryset, page_number, user
        # "Places free" changes with every booking, which the catalogue's version does not follow, and what one
        # person still needs is theirs alone (the cache is shared by band): neither is cached.
        self.cacheable = not places_free and not personal

    @cached_property
    def page(self) -> Page[int]:
        return Paginator(self._queryset.values_list("pk", flat=True), self.PAGE_SIZE).get_page(self._page_number)

    @cached_property
    def courses(self) -> list[Course]:
        return courses_with_cards(ids=self.page.object_list, user=self._user)


def catalogue_facets() -> dict[str, Any]:
    """The catalogue's filter options, each with its number of active courses: themes (slug), bands of the
    current standard (number; the courses it requires) and providers (id; those that have run any course)."""
    facets: dict[str, Any] = cached_in(STANDARD_NAMESPACE, CATALOGUE_FACETS_KEY, _catalogue_facets)
    return facets


def _catalogue_facets() -> dict[str, Any]:
    from partners.models import Organisation

    from ..compliance import requirement_rows_current

    active = set(Course.objects.filter(is_active=True).values_list("pk", flat=True))
    themes = Theme.objects.annotate(n=Count("courses", filter=Q(courses__is_active=True)))
    providers = (
        Organisation.objects.filter(training_courses__isnull=False)
        .annotate(n=Count("training_courses", filter=Q(training_courses__is_active=True), distinct=True))
        .order_by("name")
    )
    required: dict[int, set[int]] = {}
    for row in requirement_rows_current():
        required.setdefault(row.band, set()).update(row.course_ids & active)
    return {
        "token": uuid.uuid4().hex,  # new whenever the facets are computed again: keys the rendered filter form
        "themes": [(t.slug, f"{t.name} ({t.n})") for t in themes],
        "bands": [(b.number, f"{b} ({len(required.get(b.number, ()))})") for b in bands_by_number().values()],
        "providers": [(o.pk, f"{o.name} ({o.n})") for o in providers],
    }


# What the catalogue's pages show — courses, their cards, upcoming sessions and events — but not places. Made stale
# by training.receivers when a course, session, theme, event, provider or the standard changes.
CATALOGUE_NAMESPACE = "training:catalogue"
CATALOGUE_VERSION_KEY = "training:catalogue-version"


def catalogue_version(*, now: dt.datetime | None = None) -> str:
    """A token that changes whenever what the catalogue shows (apart from places) may have changed, by data or
    by the clock; the catalogue's rendered pages are cached under it (docs/training.md)."""
    now = now or timezone.now()
    token: str
    token, _until = cached_in(CATALOGUE_NAMESPACE, CATALOGUE_VERSION_KEY,
                              lambda: (uuid.uuid4().hex, _catalogue_next_change(now)),
                              fresh=lambda value: now < value[1])
    return token


def _catalogue_next_change(now: dt.datetime) -> dt.datetime:
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    midnight = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=timezone.get_current_timezone())
    next_start = sessions_upcoming(now=now).aggregate(first=Min("starts_at"))["first"]
    return min(next_start, midnight) if next_start else midnight


def events_upcoming(*, today: dt.date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return Event.objects.filter(ends_on__gte=today).order_by("starts_on")


def course_for_page(*, pk: int, user: User) -> Course:
    """An active course with what its page shows: themes, provider, prerequisites, refresher links, and whether
    the user's band must do it. Kept in the cache with the catalogue's version; Course.DoesNotExist if there is no
    such active course."""
    course: Course | None = cached_in(CATALOGUE_NAMESPACE, f"training:course-page:{pk}", lambda: _course_for_page(pk))
    if course is None:
        raise Course.DoesNotExist(pk)
    return _mark_required([course], user=user)[0]


def _course_for_page(pk: int) -> Course | None:
    return (
        Course.objects.filter(is_active=True, pk=pk)
        .select_related("provider", "refresher_of")
        .prefetch_related("themes", "prerequisites", "refreshers")
        .first()
    )


def course_prerequisites(course_id: int) -> list[Course]:
    """The courses to complete before this one, kept with the catalogue's version (no query for the many courses
    that have none, on every booking)."""
    prerequisites: list[Course] = cached_in(
        CATALOGUE_NAMESPACE, f"training:prerequisites:{course_id}",
        lambda: list(Course.objects.filter(required_by=course_id).order_by("title", "pk")),
    )
    return prerequisites


def course_places_namespace(course_id: int) -> str:
    """Made stale after every change to the bookings of the course's sessions (training.services._locked)."""
    return f"training:course-places:{course_id}"


def course_sessions_version(*, course: Course, now: dt.datetime | None = None) -> str:
    """A token that changes whenever the course's table of upcoming sessions may show something new (a booking,
    the catalogue, the clock); the rendered table is cached under it (docs/training.md)."""
    now = now or timezone.now()
    key = f"training:course-sessions:{course.pk}:{catalogue_version(now=now)}"
    token: str
    token, _until = cached_in(course_places_namespace(course.pk), key,
                              lambda: (uuid.uuid4().hex, _course_sessions_next_change(course, now)),
                              fresh=lambda value: now < value[1])
    return token


def _course_sessions_next_change(course: Course, now: dt.datetime) -> dt.datetime:
    times = sessions_upcoming(now=now).filter(course=course).aggregate(
        start=Min("starts_at"), opens=Min("booking_opens_at", filter=Q(booking_opens_at__gt=now)),
        closes=Min("booking_closes_at", filter=Q(booking_closes_at__gt=now)),
    )
    return min((t for t in times.values() if t), default=now + dt.timedelta(days=1))


def course_sessions_upcoming(*, course: Course, mine: dict[int, Booking],
                             now: dt.datetime | None = None) -> list[Session]:
    """The course's upcoming sessions with their places, soonest first, each with the person's own live booking
    on it (`my_booking`, from `mine`)."""
    sessions = list(sessions_with_places(sessions_upcoming(now=now).filter(course=course)).order_by("starts_at"))
    for session in sessions:
        session.my_booking = mine.get(session.pk)
    return sessions


def bookings_live_on(*, person: User, course: Course, now: dt.datetime | None = None) -> dict[int, Booking]:
    """The person's live booking on each upcoming session of the course, by session id. One query."""
    bookings = Booking.objects.filter(person=person, session__course=course, status__in=Booking.LIVE_STATUSES,
                                      session__starts_at__gt=now or timezone.now())
    return {b.session_id: b for b in bookings}


def bookings_live_of(*, person: User, session_ids: Iterable[int]) -> dict[int, Booking]:
    """The person's live booking on each of these sessions, by session id."""
    bookings = Booking.objects.filter(person=person, session_id__in=list(session_ids), status__in=Booking.LIVE_STATUSES)
    return {b.session_id: b for b in bookings}

