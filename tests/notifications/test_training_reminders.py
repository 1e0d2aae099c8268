"""Session reminders 7 days and 1 day before, refresher reminders at 60 days and at expiry, and
evaluation requests after a session is closed."""

import datetime as dt

import pytest
from django.core import mail

from core.roles import Role
from notifications.models import Notification
from notifications.services import preferences_set
from training.models import Booking, Completion, Evaluation, Session

from .conftest import DAY, at
from .factories import BookingFactory, CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.LINE_MANAGER, email="manager@example.org")


@pytest.fixture
def attendee(make_user, manager):
    return make_user(email="attendee@example.org", first_name="Ada", profile={"line_manager": manager})


def session_on(day, hour=10, **kwargs):
    start = at(day, hour)
    return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3), **kwargs)


def test_session_reminders_seven_days_and_one_day_before_with_line_manager_copied(
    attendee, make_user, on_day, sweep
):
    course = CourseFactory(title="Signs of Safety", copy_line_manager=True)
    week = session_on(DAY + dt.timedelta(days=7), course=course)
    tomorrow = session_on(DAY + dt.timedelta(days=1), hour=9, course=CourseFactory(title="Prevent"))
    BookingFactory(session=week, person=attendee)
    BookingFactory(session=tomorrow, person=attendee)
    BookingFactory(session=week, person=make_user(email="waiting@example.org"), status=Booking.Status.WAITLISTED)
    BookingFactory(session=week, person=make_user(email="pending@example.org"),
                   status=Booking.Status.PENDING_APPROVAL)
    BookingFactory(session=week, person=make_user(email="left@example.org"), status=Booking.Status.CANCELLED)

    on_day(DAY)
    sweep()
    assert sorted(m.subject for m in mail.outbox) == [
        "Reminder: Prevent, Tuesday 3 March 2026 at 09:00",
        "Reminder: Signs of Safety, Monday 9 March 2026 at 10:00",
    ]
    by_subject = {m.subject: m for m in mail.outbox}
    week_email = by_subject["Reminder: Signs of Safety, Monday 9 March 2026 at 10:00"]
    assert week_email.to == ["attendee@example.org"]
    assert week_email.cc == ["manager@example.org"]  # the course copies line managers
    assert "in 7 days" in week_email.body
    assert by_subject["Reminder: Prevent, Tuesday 3 March 2026 at 09:00"].cc == []
    assert "tomorrow" in by_subject["Reminder: Prevent, Tuesday 3 March 2026 at 09:00"].body

    mail.outbox.clear()
    for n in range(1, 6):  # days 6..2 before: nothing
        on_day(DAY + dt.timedelta(days=n))
        sweep()
    assert mail.outbox == []
    on_day(DAY + dt.timedelta(days=6))  # one day before the week's session
    sweep()
    (email,) = mail.outbox
    assert email.subject == "Reminder: Signs of Safety, Monday 9 March 2026 at 10:00"
    assert "tomorrow" in email.body


def test_a_cancelled_session_sends_nothing(attendee, on_day, sweep):
    session = session_on(DAY + dt.timedelta(days=7), status=Session.Status.CANCELLED)
    BookingFactory(session=session, person=attendee)
    on_day(DAY)
    sweep()
    assert mail.outbox == []


def test_a_moved_session_is_reminded_again_for_its_new_date(attendee, on_day, sweep):
    session = session_on(DAY + dt.timedelta(days=7))
    BookingFactory(session=session, person=attendee)
    on_day(DAY)
    sweep()
    session.starts_at += dt.timedelta(days=1)  # moved to the next day: a week before that is tomorrow
    session.save()
    on_day(DAY + dt.timedelta(days=1))
    sweep()
    assert len(mail.outbox) == 2


def test_switched_off_session_reminders_are_recorded_but_not_sent(attendee, on_day, sweep):
    preferences_set(person=attendee, enabled_kinds=[])
    BookingFactory(session=session_on(DAY + dt.timedelta(days=7)), person=attendee)
    on_day(DAY)
    sweep()
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.SUPPRESSED


# --- Refreshers --------------------------------------------------------------------------------------


@pytest.fixture
def safeguarding(attendee):
    pytest.importorskip("training.compliance")
    from training.models import Band, Requirement, StandardVersion

    version = StandardVersion.objects.create(name="CTS 2026", effective_from=dt.date(2026, 1, 1), is_current=True)
    band = Band.objects.get_or_create(number=3, defaults={"label": "Regular direct contact"})[0]
    course = CourseFactory(title="Safeguarding level 2")
    requirement = Requirement.objects.create(version=version, band=band, title="Safeguarding level 2",
                                             refresher_months=36)
    requirement.courses.add(course)
    return course


def refresher_emails():
    return [m for m in mail.outbox if "refreshing" in m.subject]


@pytest.mark.parametrize(
    ("completed_on", "expected"),
    [
        (dt.date(2023, 5, 2), "expires on 2 May 2026"),  # due 61 days after the sweep: not yet
        (dt.date(2023, 5, 1), "expires on 1 May 2026"),  # due exactly 60 days after: remind
        (dt.date(2023, 3, 1), "expired on 1 March 2026"),  # expired yesterday: remind again
    ],
)
def test_refresher_reminders_at_sixty_days_and_at_expiry(safeguarding, attendee, on_day, sweep, completed_on,
                                                          expected):
    Completion.objects.create(person=attendee, course=safeguarding, completed_on=completed_on)
    on_day(DAY)
    sweep()
    emails = refresher_emails()
    if completed_on == dt.date(2023, 5, 2):
        assert emails == []
        return
    (email,) = emails
    assert email.to == ["attendee@example.org"]
    assert f"Safeguarding level 2 ({expected})" in email.subject
    assert f"/training/courses/{safeguarding.pk}/" in email.body  # a link to book
    sweep()
    assert len(refresher_emails()) == 1


def test_refresher_sends_once_at_sixty_days_and_once_at_expiry(safeguarding, attendee, on_day, sweep):
    Completion.objects.create(person=attendee, course=safeguarding, completed_on=dt.date(2023, 5, 1))
    for n in range(0, 62, 5):
        on_day(DAY + dt.timedelta(days=n))
        sweep()
    on_day(dt.date(2026, 5, 2))  # the day after it expires
    sweep()
    on_day(dt.date(2026, 5, 9))
    sweep()
    assert [("expires" in m.subject, "expired" in m.subject) for m in refresher_emails()] == [
        (True, False), (False, True)
    ]


def test_no_refresher_reminder_for_someone_booked_on_a_session_that_meets_it(safeguarding, attendee, make_user,
                                                                              on_day, sweep):
    waiting = make_user(email="waiting@example.org")
    for person in (attendee, waiting):
        Completion.objects.create(person=person, course=safeguarding, completed_on=dt.date(2023, 5, 1))
    upcoming = session_on(DAY + dt.timedelta(days=20), course=safeguarding)
    BookingFactory(session=upcoming, person=attendee, status=Booking.Status.CONFIRMED)
    BookingFactory(session=upcoming, person=waiting, status=Booking.Status.WAITLISTED)  # no place yet: reminded
    on_day(DAY)
    sweep()
    assert [m.to for m in refresher_emails()] == [["waiting@example.org"]]


# --- Evaluations -------------------------------------------------------------------------------------


def test_evaluation_requests_go_to_attendees_once_the_session_is_closed(attendee, make_user, on_day, sweep):
    session = session_on(DAY - dt.timedelta(days=1), course=CourseFactory(title="Motivational Interviewing"))
    attended = BookingFactory(session=session, person=attendee, status=Booking.Status.ATTENDED)
    BookingFactory(session=session, person=make_user(email="noshow@example.org"), status=Booking.Status.NO_SHOW)
    evaluated = BookingFactory(session=session, person=make_user(email="done@example.org"),
                               status=Booking.Status.ATTENDED)
    Evaluation.objects.create(booking=evaluated, rating=5)

    on_day(DAY)
    sweep()
    assert mail.outbox == []  # not closed yet
    session.status = Session.Status.CLOSED
    session.save()
    sweep()
    (email,) = mail.outbox
    assert email.to == ["attendee@example.org"]
    assert email.subject == "How was it? Evaluate Motivational Interviewing, 1 March 2026"
    assert f"/training/bookings/{attended.pk}/evaluation/" in email.body
    assert Notification.objects.get().items.get().item_id == attended.pk
    sweep()
    assert len(mail.outbox) == 1


def test_a_session_cancelled_after_the_sweep_does_not_send_its_recorded_reminder(attendee, make_user, on_day):
    """The sweep recorded the reminders at 07:00; the session is cancelled, or a place given up, before the
    worker sends them: they are not sent, and the log says why."""
    from notifications.services import notification_deliver, reminders_sweep

    cancelled = session_on(DAY + dt.timedelta(days=7), course=CourseFactory(title="Prevent"))
    BookingFactory(session=cancelled, person=attendee)
    kept = session_on(DAY + dt.timedelta(days=7), hour=14, course=CourseFactory(title="Signs of Safety"))
    BookingFactory(session=kept, person=attendee)
    leaver = make_user(email="leaver@example.org")
    given_up = BookingFactory(session=kept, person=leaver)
    on_day(DAY)
    reminders_sweep()  # recorded; their sends are queued after commit (not run here)
    assert Notification.objects.filter(status=Notification.Status.PENDING).count() == 3

    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    given_up.status = Booking.Status.CANCELLED
    given_up.save()
    results = [notification_deliver(notification_id=n.pk) for n in Notification.objects.all()]
    assert sorted(results) == ["sent", "skipped", "skipped"]
    (email,) = mail.outbox
    assert email.subject == "Reminder: Signs of Safety, Monday 9 March 2026 at 14:00"
    assert email.to == ["attendee@example.org"]
    skipped = {n.recipient.email: n for n in Notification.objects.filter(status=Notification.Status.SKIPPED)}
    assert skipped["attendee@example.org"].error == "The session was cancelled before the reminder was sent."
    assert skipped["leaver@example.org"].error.startswith("The place was no longer confirmed")
    assert skipped["attendee@example.org"].get_status_display() == "Not sent (no longer applies)"


def test_a_missed_sweep_still_sends_the_session_reminder_it_missed_once(attendee, make_user, on_day, sweep):
    """Like deadlines: the 7-day step is 2–7 days before, the 1-day step the day before and the day itself.
    A missed morning is made up the next; the 7-day reminder is never sent once the 1-day one is due."""
    week = session_on(DAY + dt.timedelta(days=7), course=CourseFactory(title="Signs of Safety"))
    BookingFactory(session=week, person=attendee, confirmed_at=at(DAY - dt.timedelta(days=20)))
    late = make_user(email="late@example.org")
    BookingFactory(session=week, person=late, confirmed_at=at(DAY + dt.timedelta(days=3), 12))
    never_swept = make_user(email="never@example.org")
    BookingFactory(session=session_on(DAY + dt.timedelta(days=2), course=CourseFactory(title="Prevent")),
                   person=never_swept)

    heard = []
    for offset in (1, 1, 2, 4, 5, 6, 7):  # the sweep on DAY (7 days before) did not run; day 1 ran twice
        on_day(DAY + dt.timedelta(days=offset))
        mail.outbox.clear()
        sweep()
        heard += sorted((offset, m.to[0], m.body.split(" — ")[1].split(".")[0]) for m in mail.outbox)
    assert heard == [
        (1, "attendee@example.org", "in 6 days"),  # the missed 7-day reminder, a day late, once
        (1, "never@example.org", "tomorrow"),  # the day before: its 7-day step is past, and never sent
        (6, "attendee@example.org", "tomorrow"),
        (6, "late@example.org", "tomorrow"),  # booked within the week: nothing was missed, only the 1-day one
    ]
    assert Notification.objects.filter(recipient=never_swept).count() == 1


def test_a_missed_day_before_is_made_up_on_the_morning_of_the_session(attendee, on_day, sweep):
    BookingFactory(session=session_on(DAY + dt.timedelta(days=3), hour=14, course=CourseFactory(title="Prevent")),
                   person=attendee)
    BookingFactory(session=session_on(DAY + dt.timedelta(days=3), hour=6, course=CourseFactory(title="Early")),
                   person=attendee)  # started before the 07:00 sweep: too late to remind
    on_day(DAY + dt.timedelta(days=3))
    sweep()
    (email,) = mail.outbox
    assert email.subject == "Reminder: Prevent, Thursday 5 March 2026 at 14:00"
    assert "— today" in email.body
