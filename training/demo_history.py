"""Demo history: past sessions' registers, feedback and earlier training records in every state of
compliance; runs once (docs/training.md)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from workforce.models import User

from .compliance import DUE_SOON_DAYS, add_months
from .models import Booking, BookingEvent, Completion, Evaluation, Requirement, Session

DEMO_DOMAIN = "demo.example"
S = Booking.Status
RECORDED = "Recorded from the partnership's training records before the portal."
COMMENTS = [
    "Really practical: I will use the scaling questions with families this week.",
    "Good trainer and useful case studies. The room was too warm.",
    "",
    "Too much content for the time; the afternoon felt rushed.",
    "",
    "Helpful to meet colleagues from health and schools.",
    "I would like a follow-up session in six months.",
    "",
]
RATINGS = [5, 4, 4, 3, 5, 4, 2, 5, 4, 3]


def seed_attendance_and_completions(*, stdout=None) -> None:
    if Completion.objects.exists():
        return
    today = timezone.localdate()
    coordinator = User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").first()
    with transaction.atomic():
        completions = _history_completions(today, coordinator)
        completions += _keep_past_registers(coordinator)
        Completion.objects.bulk_create(completions)
        _number_certificates()
        _feedback()
    if stdout:
        stdout.write(f"training history: {Completion.objects.count()} completions, "
                     f"{Evaluation.objects.count()} evaluations")


def _keep_past_registers(coordinator) -> list[Completion]:
    """Mark and close every past session but the latest; return the attendees' completions (unsaved)."""
    now = timezone.now()
    past = list(Session.objects.filter(status=Session.Status.SCHEDULED, ends_at__lt=now).select_related("course")
                .order_by("starts_at"))
    to_close, completions, events, changed = past[:-1], [], [], []
    for session in to_close:
        marked_at = session.ends_at + dt.timedelta(minutes=10)
        bookings = list(session.bookings.filter(status=S.CONFIRMED).select_related("person").order_by("pk"))
        for i, booking in enumerate(bookings):
            demo_account = "." not in booking.person.email.split("@")[0]
            attended = demo_account or i % 7 != 3
            booking.status = S.ATTENDED if attended else S.NO_SHOW
            booking.attendance_marked_by, booking.attendance_marked_at = coordinator, marked_at
            changed.append(booking)
            events.append(BookingEvent(booking=booking, at=marked_at, by=coordinator, from_status=S.CONFIRMED,
                                       to_status=booking.status,
                                       note="Marked attended." if attended else "Marked did not attend."))
            if attended:
                completions.append(Completion(person=booking.person, course=session.course, booking=booking,
                                              completed_on=timezone.localdate(session.ends_at),
                                              recorded_by=coordinator, notes="Attended the session."))
        session.status = Session.Status.CLOSED
    Booking.objects.bulk_update(changed, ["status", "attendance_marked_by", "attendance_marked_at"])
    BookingEvent.objects.bulk_create(events)
    Session.objects.bulk_update(to_close, ["status"])
    return completions


def _done_on(state: int, months: int | None, today: dt.date, seed: int) -> dt.date | None:
    """A completion date giving the wanted state: 0 up to date, 1 due within 60 days, 2 overdue, 3 never."""
    if state == 3:
        return None
    if months is None:  # once is enough: up to date whenever it was done
        return today - dt.timedelta(days=200 + 97 * seed % 1500)
    if state == 0:
        return add_months(today, -months) + dt.timedelta(days=DUE_SOON_DAYS + 30 + 53 * seed % 300)
    if state == 1:
        return add_months(today, -months) + dt.timedelta(days=5 + 11 * seed % 50)
    return add_months(today, -months) - dt.timedelta(days=20 + 37 * seed % 400)


# Priya Shah (practitioner@, band 3): her past SG2 and EHA sessions make those up to date.
PRACTITIONER_STATES = {"Signs of Safety": 1, "Prevent awareness": 2, "Information sharing": 0,
                       "Child development": 3}


def _history_completions(today: dt.date, coordinator) -> list[Completion]:
    requirements: dict[int, list[Requirement]] = {}
    for requirement in Requirement.objects.filter(version__is_current=True).prefetch_related("courses").order_by(
        "band__number", "order"
    ):
        requirements.setdefault(requirement.band.number, []).append(requirement)
    people = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", profile__isnull=False).select_related(
        "profile").order_by("email")
    completions = []
    for n, person in enumerate(people):
        local = person.email.split("@")[0]
        for r, requirement in enumerate(requirements.get(person.profile.cts_band, [])):
            courses = sorted(requirement.courses.all(), key=lambda c: c.code)
            if not courses:
                continue
            if local == "practitioner":
                state = PRACTITIONER_STATES.get(requirement.title)
                if state is None:
                    continue
            else:
                k = (n * 3 + r * 7) % 10  # a spread: seven in ten up to date, then one of each other state
                state = 0 if k < 7 else k - 6
            day = _done_on(state, requirement.refresher_months, today, n * 7 + r)
            if day is None:
                continue
            course = courses[(n + r) % len(courses)]  # equivalent courses: some did one, some the other
            completions.append(Completion(person=person, course=course, completed_on=day, recorded_by=coordinator,
                                          notes=RECORDED))
    return completions


def _number_certificates() -> None:
    numbered = []
    for completion in Completion.objects.filter(certificate_number__isnull=True).only("pk", "completed_on"):
        completion.certificate_number = f"CTS-{completion.completed_on:%Y}-{completion.pk:06d}"
        numbered.append(completion)
    Completion.objects.bulk_update(numbered, ["certificate_number"])


def _feedback() -> None:
    attended = Booking.objects.filter(status=S.ATTENDED, session__status=Session.Status.CLOSED).select_related(
        "session", "person").order_by("pk")
    evaluations = []
    for i, booking in enumerate(attended):
        if booking.person.email == f"practitioner@{DEMO_DOMAIN}" or i % 3 == 2:
            continue  # Priya still has feedback to give
        evaluations.append(Evaluation(booking=booking, rating=RATINGS[i % len(RATINGS)],
                                      comments=COMMENTS[i % len(COMMENTS)],
                                      submitted_at=booking.session.ends_at + dt.timedelta(days=1 + i % 4)))
    Evaluation.objects.bulk_create(evaluations)
