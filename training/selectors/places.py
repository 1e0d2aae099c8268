"""Places, waiting lists, prerequisites and clashes: the reads the booking services decide on."""


from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from workforce.models import User

from ..models import (
    Booking,
    Completion,
    Course,
    Session,
)
from .catalogue import course_prerequisites

LOCK_TIMEOUT = "3s"
S = Booking.Status


# === Reads the services need (inside the lock) ==========================================================


def places_taken(session: Session) -> int:
    return Booking.objects.filter(session=session, status__in=Booking.PLACE_STATUSES).count()


def waiting_list(session: Session) -> QuerySet[Booking]:
    return Booking.objects.filter(session=session, status=S.WAITLISTED).order_by("waitlist_order", "pk")


def _ahead_of(booking: Booking) -> Q:
    """Bookings before this one in waiting-list order (the number it was given under the lock, then id)."""
    return Q(waitlist_order__lt=booking.waitlist_order) | Q(waitlist_order=booking.waitlist_order, pk__lt=booking.pk)


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first waiting; None when the booking is not on the waiting list."""
    if booking.status != S.WAITLISTED:
        return None
    return Booking.objects.filter(session_id=booking.session_id, status=S.WAITLISTED).filter(
        _ahead_of(booking)).count() + 1


def prerequisites_missing(*, course: Course, person: User, needed: list[Course] | None = None) -> list[Course]:
    """The course's prerequisites (`needed`, where the caller has them loaded already) the person has not
    completed (or attended)."""
    needed = course_prerequisites(course.pk) if needed is None else needed
    if not needed:
        return []
    completed = Completion.objects.filter(person=person, course=OuterRef("pk"))
    attended = Booking.objects.filter(person=person, status=S.ATTENDED, session__course=OuterRef("pk"))
    done = set(Course.objects.filter(Q(Exists(completed)) | Q(Exists(attended)), pk__in=[c.pk for c in needed])
               .values_list("pk", flat=True))  # fmt: skip
    return [c for c in needed if c.pk not in done]


# The person's other live bookings (not on cancelled sessions) with a date that overlaps one of this session's
# dates. Asked on every booking, so written out: built by the ORM (subqueries, then a comparison in Python) it
# cost about 2 ms of the web server's CPU each time, a tenth of a booking in a rush (docs/performance.md, P1).
# The database compares the dates (PostgreSQL and SQLite alike).
_CLASHING_SESSIONS_SQL = """
    SELECT DISTINCT theirs.session_id
    FROM training_sessiondate AS theirs
    JOIN training_sessiondate AS this
      ON this.session_id = %s AND theirs.starts_at < this.ends_at AND theirs.ends_at > this.starts_at
    JOIN training_booking AS booking
      ON booking.session_id = theirs.session_id AND booking.person_id = %s AND booking.status IN (%s, %s, %s)
    JOIN training_session AS other ON other.id = theirs.session_id AND other.status <> %s
    WHERE theirs.session_id <> %s
"""


def overlapping_sessions(*, session: Session, person: User) -> list[Session]:
    """Other sessions the person holds or awaits a place on whose dates overlap this session's dates: one
    statement finds them, and they are loaded only when there are some."""
    with connection.cursor() as cursor:
        cursor.execute(_CLASHING_SESSIONS_SQL, [session.pk, person.pk, S.CONFIRMED, S.PENDING_APPROVAL,
                                                S.WAITLISTED, Session.Status.CANCELLED, session.pk])
        clashing = [session_id for (session_id,) in cursor.fetchall()]
    if not clashing:
        return []
    return list(Session.objects.filter(pk__in=clashing).select_related("course"))

