"""Reads for training, scoped to the asking user, with their joins and counts done (no N+1)."""

import datetime as dt
import uuid

from django.core.paginator import Paginator
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from django.utils.functional import cached_property

from core.caching import cached_in

from .compliance import STANDARD_NAMESPACE
from .models import (
    Band,
    Booking,
    BookingEvent,
    Completion,
    Course,
    Evaluation,
    Event,
    Requirement,
    Session,
    StandardVersion,
    Theme,
)

S = Booking.Status


# === The standard ========================================================================================


# Kept in the cache, made stale by training.receivers whenever the standard, a band, a theme, a course or a
# provider changes (core.caching explains how).
STANDARD_KEY = "training:standard-current"
BANDS_KEY = "training:bands"
CATALOGUE_FACETS_KEY = "training:catalogue-facets"


def standard_version_current() -> StandardVersion | None:
    return cached_in(STANDARD_NAMESPACE, STANDARD_KEY, lambda: StandardVersion.objects.filter(is_current=True).first())


def bands_by_number() -> dict[int, Band]:
    return cached_in(STANDARD_NAMESPACE, BANDS_KEY, lambda: {band.number: band for band in Band.objects.all()})


def band_number_of(user) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.cts_band if profile else None


def requirements_for_band(*, band_number: int, version: StandardVersion | None = None) -> QuerySet[Requirement]:
    version = version or standard_version_current()
    return (
        Requirement.objects.filter(version=version, band__number=band_number)
        .select_related("band")
        .prefetch_related(Prefetch("courses", queryset=Course.objects.filter(is_active=True)))
    )


def course_ids_required_for_band(band_number: int | None) -> set[int]:
    """The courses any requirement of the current standard asks of this band (from the cached requirements)."""
    from .compliance import requirement_rows_current

    return {pk for row in requirement_rows_current() if row.band == band_number for pk in row.course_ids}


def standard_overview() -> dict:
    """Everything the standard pages show: versions, bands, themes, and the current version's requirements."""
    current = standard_version_current()
    return {
        "versions": StandardVersion.objects.annotate(requirement_count=Count("requirements")),
        "current": current,
        "bands": Band.objects.all(),
        "themes": Theme.objects.annotate(course_count=Count("courses", filter=Q(courses__is_active=True))),
        "requirements": (
            Requirement.objects.filter(version=current).select_related("band").prefetch_related("courses")
            if current
            else Requirement.objects.none()
        ),
    }


def requirements_of_version(version: StandardVersion) -> QuerySet[Requirement]:
    return version.requirements.select_related("band").prefetch_related("courses")


# === Sessions and places ==================================================================================


def sessions_with_places(queryset: QuerySet[Session] | None = None) -> QuerySet[Session]:
    """Sessions annotated with places_taken, places_left, waiting and pending; dates and course loaded.

    The counts are subqueries per session (on the bookings' (session, status) index) rather than a join and
    GROUP BY: a list sorted and cut to its first rows then counts only the sessions it shows."""
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


def _bookings_count(statuses):
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



def sessions_upcoming(*, now=None) -> QuerySet[Session]:
    now = now or timezone.now()
    return Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)


def sessions_open_with_places(*, now=None) -> QuerySet[Session]:
    """Upcoming, scheduled sessions with at least one place left."""
    return (
        sessions_upcoming(now=now)
        .annotate(taken_now=_bookings_count(Booking.PLACE_STATUSES))
        .filter(taken_now__lt=F("capacity"))
    )


def session_for_page(*, pk: int) -> Session:
    return sessions_with_places(Session.objects.filter(pk=pk)).prefetch_related("trainers").get()


# === The catalogue ========================================================================================


def courses_catalogue(*, user, now=None) -> QuerySet[Course]:
    """Active courses in catalogue order. FilterSets narrow it; `courses_with_cards` adds what a card shows."""
    return Course.objects.filter(is_active=True).order_by("title", "code", "pk")


def _with_card_figures(queryset: QuerySet[Course], *, now=None) -> QuerySet[Course]:
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


def _mark_required(courses, *, user):
    """Set `required_for_me`: whether the current standard asks the course of the user's band."""
    required = course_ids_required_for_band(band_number_of(user))
    for course in courses:
        course.required_for_me = course.pk in required
    return courses


def courses_with_cards(*, ids, user, now=None) -> list[Course]:
    """The courses of one page of the catalogue (in the given order) with their card figures. Computing the
    figures only for the page keeps a deep page as fast as the first."""
    ids = list(ids)
    by_pk = {c.pk: c for c in _with_card_figures(Course.objects.filter(pk__in=ids), now=now)}
    return _mark_required([by_pk[pk] for pk in ids if pk in by_pk], user=user)


class CatalogueResults:
    """One page of the catalogue's results, worked out only when a template first asks for it: a page served from
    the cache (templates/training/catalogue.html) runs none of its queries."""

    PAGE_SIZE = 20

    def __init__(self, queryset: QuerySet[Course], *, page_number, user, places_free: bool):
        self._queryset, self._page_number, self._user = queryset, page_number, user
        # "Places free" changes with every booking, which the catalogue's version does not follow: never cached.
        self.cacheable = not places_free

    @cached_property
    def page(self):
        return Paginator(self._queryset.values_list("pk", flat=True), self.PAGE_SIZE).get_page(self._page_number)

    @cached_property
    def courses(self) -> list[Course]:
        return courses_with_cards(ids=self.page.object_list, user=self._user)


def catalogue_facets() -> dict:
    """The catalogue's filter options, each with its number of active courses: themes (slug), bands of the
    current standard (number; the courses it requires) and providers (id; those that have run any course)."""
    return cached_in(STANDARD_NAMESPACE, CATALOGUE_FACETS_KEY, _catalogue_facets)


def _catalogue_facets() -> dict:
    from partners.models import Organisation

    from .compliance import requirement_rows_current

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


def catalogue_version(*, now=None) -> str:
    """A token that changes whenever what the catalogue shows (apart from places) may have changed: on any change
    to the data above, and when time alone changes it — when the next session starts (it stops being upcoming) or
    a new day begins (an event ends). Rendered pages of the catalogue are cached under it
    (templates/training/catalogue.html), so they are never older than the data they show."""
    now = now or timezone.now()
    token, _until = cached_in(CATALOGUE_NAMESPACE, CATALOGUE_VERSION_KEY,
                              lambda: (uuid.uuid4().hex, _catalogue_next_change(now)),
                              fresh=lambda value: now < value[1])
    return token


def _catalogue_next_change(now) -> dt.datetime:
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    midnight = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=timezone.get_current_timezone())
    next_start = sessions_upcoming(now=now).aggregate(first=Min("starts_at"))["first"]
    return min(next_start, midnight) if next_start else midnight


def events_upcoming(*, today=None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return Event.objects.filter(ends_on__gte=today).order_by("starts_on")


def course_for_page(*, pk: int, user) -> Course:
    """An active course with what its page shows: themes, provider, prerequisites, refresher links, and whether
    the user's band must do it. Kept in the cache with the catalogue's version; Course.DoesNotExist if there is no
    such active course."""
    course = cached_in(CATALOGUE_NAMESPACE, f"training:course-page:{pk}", lambda: _course_for_page(pk))
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
    return cached_in(CATALOGUE_NAMESPACE, f"training:prerequisites:{course_id}",
                     lambda: list(Course.objects.filter(required_by=course_id).order_by("title", "pk")))


def course_places_namespace(course_id: int) -> str:
    """Made stale after every change to the bookings of the course's sessions (training.services._locked)."""
    return f"training:course-places:{course_id}"


def course_sessions_version(*, course: Course, now=None) -> str:
    """A token that changes whenever the course's table of upcoming sessions may show something new: a booking on
    the course changes (course_places_namespace), the catalogue changes (catalogue_version: sessions, events, …)
    or the clock does (a session starts, or its booking opens or closes). The rendered table is cached under it
    (templates/training/course_detail.html); the sessions themselves are read only to render it again."""
    now = now or timezone.now()
    key = f"training:course-sessions:{course.pk}:{catalogue_version(now=now)}"
    token, _until = cached_in(course_places_namespace(course.pk), key,
                              lambda: (uuid.uuid4().hex, _course_sessions_next_change(course, now)),
                              fresh=lambda value: now < value[1])
    return token


def _course_sessions_next_change(course: Course, now) -> dt.datetime:
    times = sessions_upcoming(now=now).filter(course=course).aggregate(
        start=Min("starts_at"), opens=Min("booking_opens_at", filter=Q(booking_opens_at__gt=now)),
        closes=Min("booking_closes_at", filter=Q(booking_closes_at__gt=now)),
    )
    return min((t for t in times.values() if t), default=now + dt.timedelta(days=1))


def course_sessions_upcoming(*, course: Course, mine: dict[int, Booking], now=None) -> list[Session]:
    """The course's upcoming sessions with their places, soonest first, each with the person's own live booking
    on it (`my_booking`, from `mine`)."""
    sessions = list(sessions_with_places(sessions_upcoming(now=now).filter(course=course)).order_by("starts_at"))
    for session in sessions:
        session.my_booking = mine.get(session.pk)
    return sessions


def bookings_live_on(*, person, course: Course, now=None) -> dict[int, Booking]:
    """The person's live booking on each upcoming session of the course, by session id. One query."""
    bookings = Booking.objects.filter(person=person, session__course=course, status__in=Booking.LIVE_STATUSES,
                                      session__starts_at__gt=now or timezone.now())
    return {b.session_id: b for b in bookings}


def bookings_live_of(*, person, session_ids) -> dict[int, Booking]:
    """The person's live booking on each of these sessions, by session id."""
    bookings = Booking.objects.filter(person=person, session_id__in=list(session_ids), status__in=Booking.LIVE_STATUSES)
    return {b.session_id: b for b in bookings}


# === A person's bookings ===================================================================================


def bookings_of(*, person, now=None, past: bool = True) -> dict:
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
    found = {
        "upcoming": [b for b in current if b.status != S.WAITLISTED],
        "waiting": [b for b in current if b.status == S.WAITLISTED],
    }
    if past:
        # A place a manager passed on reads "Passed to <colleague> by <manager>", not just "Cancelled" (same query).
        passed_to = Booking.objects.filter(transferred_from=OuterRef("pk")).values(
            name=Coalesce(NullIf(Trim(Concat("person__first_name", Value(" "), "person__last_name")), Value("")),
                          "person__email", output_field=CharField()))[:1]
        found["past"] = list(
            base.exclude(upcoming_q & Q(status__in=[S.CONFIRMED, S.PENDING_APPROVAL, S.WAITLISTED]))
            .select_related("cancelled_by").annotate(passed_to=Subquery(passed_to))
            .order_by("-session__starts_at", "-pk")[:50]
        )
    session_dates_load([b.session for bookings in found.values() for b in bookings])
    return found


# A person's own training pages (My training): made stale by training.receivers and services when their bookings,
# completions, profile or sessions they train change, or people ahead of them on a waiting list move; for everyone
# by a bulk change to people (the staff import).
PEOPLE_NAMESPACE = "training:people"


def person_namespace(person_id: int) -> str:
    return f"training:person:{person_id}"


def my_training_version(*, person, now=None) -> str:
    """A token that changes whenever the person's My training page may show something new: their own changes
    (above), the catalogue's (courses, sessions, the standard; and when any session starts) and each new day
    (what is due, overdue or recent depends on the day). The page is cached under it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    token, _day = cached_in((person_namespace(person.pk), PEOPLE_NAMESPACE), f"training:my-training:{person.pk}",
                            lambda: (uuid.uuid4().hex, today), fresh=lambda value: value[1] == today)
    return f"{catalogue_version(now=now)}:{token}"


class MyTraining:
    """What My training shows, each part worked out only when the template first asks for it (a page served from
    the cache asks for none)."""

    def __init__(self, *, person, today: dt.date):
        self.person, self.today = person, today

    @cached_property
    def _bookings(self) -> dict:
        return bookings_of(person=self.person, past=False)

    @property
    def upcoming(self) -> list[Booking]:
        return self._bookings["upcoming"]

    @property
    def waiting(self) -> list[Booking]:
        return self._bookings["waiting"]

    @cached_property
    def compliance(self) -> list:
        from . import compliance

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
        return bands_by_number().get(band_number_of(self.person))

    @cached_property
    def standard(self) -> StandardVersion | None:
        return standard_version_current()

    @property
    def due_soon_days(self) -> int:
        from .compliance import DUE_SOON_DAYS

        return DUE_SOON_DAYS


def session_dates_load(sessions) -> None:
    """Load the dates of all these sessions in one query (what a page's several lists would prefetch apart)."""
    prefetch_related_objects([s for s in sessions if "dates" not in getattr(s, "_prefetched_objects_cache", {})],
                             "dates")  # fmt: skip


# === Managers ==============================================================================================


def bookings_awaiting_approval_by(*, manager) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(status=S.PENDING_APPROVAL, person__profile__line_manager=manager)
        .select_related("person", "session__course")
        .prefetch_related("session__dates")
        .order_by("created_at", "pk")
    )


def team_bookings_upcoming(*, manager, now=None) -> QuerySet[Booking]:
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            status=S.CONFIRMED, person__profile__line_manager=manager, session__starts_at__gt=now
        )
        .select_related("person", "session__course")
        .prefetch_related("session__dates")
        .order_by("session__starts_at", "pk")
    )


def team_of(*, manager):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(profile__line_manager=manager, is_active=True).order_by(
        "last_name", "first_name"
    )


# === Coordinators ==========================================================================================


def sessions_for_coordinator(*, now=None, include_past: bool = False) -> QuerySet[Session]:
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


def register_counts(bookings: list[Booking]) -> dict:
    counts = {"total": len(bookings), "attended": 0, "no_show": 0, "unmarked": 0}
    for booking in bookings:
        key = {S.ATTENDED: "attended", S.NO_SHOW: "no_show"}.get(booking.status, "unmarked")
        counts[key] += 1
    return counts


def register_requests_waiting(*, session: Session) -> list[Booking]:
    """Those on the waiting list or awaiting approval: closing the session lapses their requests."""
    return list(session.bookings.filter(status__in=[S.WAITLISTED, S.PENDING_APPROVAL]).select_related("person")
                .order_by("person__last_name", "person__first_name", "pk"))


def session_for_register(*, pk: int) -> Session:
    return sessions_with_places(Session.objects.filter(pk=pk)).prefetch_related("trainers").get()


def evaluation_summary(evaluations: QuerySet[Evaluation]) -> dict:
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


def course_sessions_evaluated(*, course: Course, now=None) -> QuerySet[Session]:
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


def completions_of(*, person) -> QuerySet[Completion]:
    return (
        Completion.objects.filter(person=person)
        .select_related("course", "booking__session")
        .order_by("-completed_on", "-pk")
    )


def bookings_to_evaluate(*, person, dates: bool = True) -> QuerySet[Booking]:
    """The person's attended sessions they have not given feedback on yet (dates=False: the caller loads the
    sessions' dates, e.g. with session_dates_load)."""
    qs = (
        Booking.objects.filter(person=person, status=S.ATTENDED, evaluation__isnull=True)
        .select_related("session__course")
        .order_by("-session__starts_at")
    )
    return qs.prefetch_related("session__dates") if dates else qs


def course_history(*, course: Course) -> QuerySet[Booking]:
    """Every booking ever made on the course's sessions, with what became of it (for the CSV export)."""
    return (
        Booking.objects.filter(session__course=course)
        .select_related("session", "person__profile__organisation", "completion", "evaluation")
        .order_by("session__starts_at", "session_id", "person__last_name", "pk")
    )


COMPLIANCE_CHOICES_KEY = "training:compliance-filter-choices"


def compliance_filter_choices() -> dict[str, list[tuple[int, str]]]:
    """The compliance matrix's filter options: active organisations and sectors (ids) and bands (numbers)."""
    from partners.models import Organisation, Sector

    return cached_in(STANDARD_NAMESPACE, COMPLIANCE_CHOICES_KEY, lambda: {
        "organisations": list(Organisation.objects.filter(is_active=True).order_by("name").values_list("pk", "name")),
        "sectors": [(sector.pk, str(sector)) for sector in Sector.objects.all()],
        "bands": [(number, str(band)) for number, band in bands_by_number().items()],
    })  # fmt: skip


def people_for_compliance(*, scope: str, user, organisation: int | None = None, sector: int | None = None,
                          band: int | None = None, q: str = ""):
    """The people a compliance matrix covers: 'team' (the user's direct reports), 'organisation' (the
    organisation the user leads) or 'all', narrowed to an organisation id, a sector id or a band number.
    Through workforce's selectors; the caller checks permission."""
    from workforce import selectors as people_selectors
    from workforce.permissions import led_organisation_id

    if scope == "team":
        people = people_selectors.team_of(manager=user)
    elif scope == "organisation":
        people = people_selectors.people().filter(profile__organisation_id=led_organisation_id(user))
    else:
        people = people_selectors.people()
    if organisation is not None:
        people = people.filter(profile__organisation_id=organisation)
    if sector is not None:
        people = people.filter(profile__organisation__sector_id=sector)
    if band is not None:
        people = people.filter(profile__cts_band=band)
    for word in q.split()[:4]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word))
    return people


def sessions_awaiting_register(*, now=None) -> QuerySet[Session]:
    """Sessions that have started but whose register is not closed yet, oldest first (the coordinator's to-do)."""
    now = now or timezone.now()
    return sessions_with_places(
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lte=now)
    ).order_by("starts_at", "pk")


def sessions_trained_by(*, person, today: dt.date | None = None, dates: bool = True) -> QuerySet[Session]:
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


# === Personal data (the privacy app's export) ===============================================================


def personal_data_of(*, person) -> dict[str, tuple[str, object]]:
    """Everything training holds about a person: {key: (title, rows)}."""
    bookings = Booking.objects.filter(person=person).select_related("session__course").order_by("created_at", "pk")
    waiting = bookings_of(person=person)["waiting"]
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
