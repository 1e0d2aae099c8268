"""Reads for training, scoped to the asking user, with their joins and counts done (no N+1)."""

import datetime as dt

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

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


def standard_version_current() -> StandardVersion | None:
    return StandardVersion.objects.filter(is_current=True).first()


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


def course_ids_required_for_band(band_number: int | None) -> QuerySet:
    return Course.objects.filter(
        requirements__version__is_current=True, requirements__band__number=band_number
    ).values("pk")


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
    """Sessions annotated with places_taken, places_left, waiting and pending; dates and course loaded."""
    queryset = queryset if queryset is not None else Session.objects.all()
    return (
        queryset.select_related("course", "event")
        .prefetch_related("dates")
        .annotate(
            places_taken=Count("bookings", filter=Q(bookings__status__in=Booking.PLACE_STATUSES)),
            waiting=Count("bookings", filter=Q(bookings__status=S.WAITLISTED)),
            pending=Count("bookings", filter=Q(bookings__status=S.PENDING_APPROVAL)),
        )
    )


def _places_taken_subquery():
    return Coalesce(
        Subquery(
            Booking.objects.filter(session=OuterRef("pk"), status__in=Booking.PLACE_STATUSES)
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
        .annotate(taken_now=_places_taken_subquery())
        .filter(taken_now__lt=F("capacity"))
    )


def session_for_page(*, pk: int) -> Session:
    return sessions_with_places(Session.objects.filter(pk=pk)).prefetch_related("trainers").get()


# === The catalogue ========================================================================================


def courses_catalogue(*, user, now=None) -> QuerySet[Course]:
    """Active courses in catalogue order. FilterSets narrow it; `courses_with_cards` adds what a card shows."""
    return Course.objects.filter(is_active=True).order_by("title", "code", "pk")


def _with_card_figures(queryset: QuerySet[Course], *, user, now=None) -> QuerySet[Course]:
    """Next upcoming session, number of upcoming sessions, and whether the standard requires it of the user."""
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
            required_for_me=Exists(
                Requirement.objects.filter(
                    version__is_current=True, band__number=band_number_of(user) or 0, courses=OuterRef("pk")
                )
            ),
        )
    )


def courses_with_cards(*, ids, user, now=None) -> list[Course]:
    """The courses of one page of the catalogue (in the given order) with their card figures. Computing the
    figures only for the page keeps a deep page as fast as the first."""
    ids = list(ids)
    by_pk = {c.pk: c for c in _with_card_figures(Course.objects.filter(pk__in=ids), user=user, now=now)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def events_upcoming(*, today=None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return Event.objects.filter(ends_on__gte=today).order_by("starts_on")


def course_for_page(*, pk: int, user, now=None) -> Course:
    """A course with what its page shows: themes, provider, prerequisites, refresher links."""
    return (
        _with_card_figures(Course.objects.filter(is_active=True), user=user, now=now)
        .select_related("refresher_of")
        .prefetch_related("prerequisites", "refreshers")
        .get(pk=pk)
    )


def course_sessions_upcoming(*, course: Course, now=None) -> QuerySet[Session]:
    return sessions_with_places(sessions_upcoming(now=now).filter(course=course)).order_by("starts_at")


def bookings_live_of(*, person, session_ids) -> dict[int, Booking]:
    """The person's live booking on each of these sessions, by session id."""
    bookings = Booking.objects.filter(person=person, session_id__in=list(session_ids), status__in=Booking.LIVE_STATUSES)
    return {b.session_id: b for b in bookings}


# === A person's bookings ===================================================================================


def bookings_of(*, person, now=None) -> dict:
    """My bookings: upcoming (confirmed/awaiting approval), waiting lists with positions, and past."""
    now = now or timezone.now()
    position = (
        Booking.objects.filter(session=OuterRef("session"), status=S.WAITLISTED)
        .filter(Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    base = (
        Booking.objects.filter(person=person)
        .select_related("session__course", "session__event")
        .prefetch_related("session__dates")
        .order_by("session__starts_at", "pk")
    )
    upcoming_q = Q(session__starts_at__gt=now) & ~Q(session__status=Session.Status.CANCELLED)
    return {
        "upcoming": list(base.filter(upcoming_q, status__in=[S.CONFIRMED, S.PENDING_APPROVAL])),
        "waiting": list(
            base.filter(upcoming_q, status=S.WAITLISTED).annotate(
                ahead=Coalesce(Subquery(position, output_field=IntegerField()), Value(0))
            )
        ),
        "past": list(
            base.exclude(upcoming_q & Q(status__in=[S.CONFIRMED, S.PENDING_APPROVAL, S.WAITLISTED])).order_by(
                "-session__starts_at", "-pk"
            )[:50]
        ),
    }


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


def bookings_to_evaluate(*, person) -> QuerySet[Booking]:
    """The person's attended sessions they have not given feedback on yet."""
    return (
        Booking.objects.filter(person=person, status=S.ATTENDED, evaluation__isnull=True)
        .select_related("session__course")
        .prefetch_related("session__dates")
        .order_by("-session__starts_at")
    )


def course_history(*, course: Course) -> QuerySet[Booking]:
    """Every booking ever made on the course's sessions, with what became of it (for the CSV export)."""
    return (
        Booking.objects.filter(session__course=course)
        .select_related("session", "person__profile__organisation", "completion", "evaluation")
        .order_by("session__starts_at", "session_id", "person__last_name", "pk")
    )


def people_for_compliance(*, scope: str, user, organisation=None, sector=None, band=None, q: str = ""):
    """The people a compliance matrix covers: 'team' (the user's direct reports), 'organisation' (the
    organisation the user leads) or 'all'. Through workforce's selectors; the caller checks permission."""
    from workforce import selectors as people_selectors
    from workforce.permissions import led_organisation_id

    if scope == "team":
        people = people_selectors.team_of(manager=user)
    elif scope == "organisation":
        people = people_selectors.people().filter(profile__organisation_id=led_organisation_id(user))
    else:
        people = people_selectors.people()
    if organisation is not None:
        people = people.filter(profile__organisation=organisation)
    if sector is not None:
        people = people.filter(profile__organisation__sector=sector)
    if band is not None:
        people = people.filter(profile__cts_band=band.number)
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


def sessions_trained_by(*, person, now=None) -> QuerySet[Session]:
    """Sessions the person trains, from a month ago on (their registers), not cancelled."""
    now = now or timezone.now()
    return (
        Session.objects.filter(trainers=person, starts_at__gte=now - dt.timedelta(days=31))
        .exclude(status=Session.Status.CANCELLED)
        .select_related("course")
        .prefetch_related("dates")
        .order_by("starts_at", "pk")
    )


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
