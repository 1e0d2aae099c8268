"""Bad input on every training form: a clear message next to what was wrong, nothing written, never a 500."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.training.factories import (
    BandFactory,
    BookingFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
    ThemeFactory,
)
from training import models
from training.models import Booking, Course, Event, Session, StandardVersion

pytestmark = pytest.mark.django_db

# Not a number; beyond 64 bits (SQLite cannot bind it: training's forms refuse it before the database sees it).
GARBAGE = ["abc", "99999999999999999999"]
HUGE = "99999999999999999999999"
FIELDS = [
    "q", "theme", "band", "delivery_mode", "provider", "date_from", "date_to", "places_free", "required_for_me",
    "page", "course", "event", "past", "copy_from", "organisation", "sector", "decision", "reason", "to_person",
    "one", "bulk", "booking", "rating", "comments", "capacity", "name", "number", "slug", "label", "title", "code",
    "summary", "duration", "version", "courses", "refresher_months", "effective_from", "starts_on", "ends_on",
    "confirm_overlap", "trainers", "themes", "prerequisites", "refresher_of",
    "dates-TOTAL_FORMS", "dates-INITIAL_FORMS", "dates-0-day", "dates-0-start", "dates-0-end",
]  # fmt: skip


def _counts():
    return {model.__name__: model.objects.count() for model in (
        models.StandardVersion, models.Band, models.Theme, models.Course, models.Requirement, models.Event,
        models.Session, models.SessionDate, models.Booking, models.BookingEvent, models.Completion,
        models.Evaluation)}  # fmt: skip


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.TRAINING_COORDINATOR, Role.LINE_MANAGER, first_name="Cora")


@pytest.mark.slow  # every field of every training page
def test_garbage_in_every_field_of_every_training_page_is_never_a_500_and_writes_nothing(coordinator, make_user):
    course = CourseFactory()
    session = SessionFactory(course=course)
    booking = BookingFactory(session=session, person=make_user(profile={"line_manager": coordinator}))
    version = StandardVersionFactory()
    band = BandFactory(number=3)
    requirement = RequirementFactory(version=version, band=band, courses=[course])
    theme = ThemeFactory()
    event = Event.objects.create(name="Week", slug="week", starts_on=timezone.localdate(),
                                 ends_on=timezone.localdate())
    # (Booking takes no input: pressing "Book a place" books whatever else the request carries; any text is a
    # reason to cancel a session. Both are tried with bad input below.)
    pages = [
        ("catalogue", []), ("course_detail", [course.pk]), ("session_detail", [session.pk]),
        ("event_detail", ["week"]), ("my_bookings", []),
        ("booking_cancel", [booking.pk]), ("approvals", []), ("approval_decide", [booking.pk]),
        ("booking_transfer", [booking.pk]), ("standard", []), ("version_create", []),
        ("version_detail", [version.pk]), ("version_edit", [version.pk]), ("version_make_current", [version.pk]),
        ("band_create", []), ("band_edit", [band.pk]), ("theme_create", []), ("theme_edit", [theme.pk]),
        ("requirement_create", []), ("requirement_edit", [requirement.pk]), ("manage_home", []),
        ("course_list_manage", []), ("course_create", []), ("course_edit", [course.pk]), ("event_list_manage", []),
        ("event_create", []), ("event_edit", [event.pk]), ("session_create", []), ("session_manage", [session.pk]),
        ("session_edit", [session.pk]), ("my_training", []),
        ("session_register", [session.pk]), ("session_register_close", [session.pk]),
        ("session_attendees_export", [session.pk]), ("course_evaluations", [course.pk]),
        ("course_history_export", [course.pk]), ("compliance_team", []), ("compliance_all", []),
        ("compliance_team_export", []), ("compliance_all_export", []),
    ]  # fmt: skip
    before = _counts()
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    failures = []
    for name, args in pages:
        url = reverse(f"training:{name}", args=args)
        for value in GARBAGE:
            data = dict.fromkeys(FIELDS, value)
            for method in (client.get, client.post):
                status = method(url, data).status_code
                if status >= 500:
                    failures.append((name, method.__name__, value, status))
    assert failures == []
    assert _counts() == before
    booking.refresh_from_db(), session.refresh_from_db(), version.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and session.status == Session.Status.SCHEDULED
    assert session.ics_sequence == 0


def test_a_new_session_link_with_a_bad_course_or_event_just_leaves_them_blank(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("training:session_create"), {"course": "abc", "event": "<b>"})
    assert response.status_code == 200 and "New session" in response.content.decode()
    course = CourseFactory(title="Prevent awareness")
    page = client.get(reverse("training:session_create"), {"course": course.pk}).content.decode()
    assert f'<option value="{course.pk}" selected>' in page


def test_making_a_version_current_with_a_bad_copy_source_changes_nothing(client, coordinator):
    current = StandardVersionFactory(name="Current")
    draft = StandardVersionFactory(name="Draft", is_current=False)
    client.force_login(coordinator)
    response = client.post(reverse("training:version_make_current", args=[draft.pk]), {"copy_from": "abc"},
                           follow=True)
    assert "Choose a version of the standard to copy the requirements from. Nothing was changed." in (
        response.content.decode())
    assert StandardVersion.objects.get(is_current=True) == current


def test_capacity_below_the_places_taken_is_refused_next_to_the_field(client, coordinator, make_user, mailoutbox):
    session = SessionFactory(capacity=3)
    for _ in range(2):
        BookingFactory(session=session, person=make_user())
    start = timezone.localtime(session.starts_at)
    data = {
        "capacity": "1", "venue_name": "Somewhere new", "venue_address": "", "access_notes": "", "online_url": "",
        "notes": "", "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "1", "dates-MIN_NUM_FORMS": "0",
        "dates-MAX_NUM_FORMS": "10", "dates-0-day": (start.date() + dt.timedelta(days=1)).isoformat(),
        "dates-0-start": "10:00", "dates-0-end": "12:00",
    }
    client.force_login(coordinator)
    response = client.post(reverse("training:session_edit", args=[session.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["capacity"] == [
        "2 people already hold places, so the capacity cannot go below 2. Nothing was changed."]
    assert 'href="#id_capacity"' in response.content.decode()  # in the summary, linked to the field
    session.refresh_from_db()
    assert (session.capacity, session.venue_name, session.ics_sequence) == (3, "Civic Centre, Room 2", 0)
    assert session.starts_at == start
    assert mailoutbox == []


def test_a_date_range_that_ends_before_it_starts_is_explained_beside_the_field(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("training:catalogue"), {"date_from": "2031-05-10", "date_to": "2031-05-01"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["date_to"] == [
        "The end of the date range must be on or after its start."]
    assert "Clear filters" in response.content.decode()


def test_sessions_until_the_last_day_there_is(client, practitioner):
    """Found by tests/portal/test_bad_input.py: the day after 31/12/9999 overflowed (a 500)."""
    SessionFactory(course=CourseFactory(title="Far ahead"))
    client.force_login(practitioner)
    response = client.get(reverse("training:catalogue"), {"date_to": "9999-12-31"})
    assert response.status_code == 200 and "Far ahead" in response.content.decode()


def test_a_prerequisite_loop_is_refused(client, coordinator):
    elearning = CourseFactory(title="MCA e-learning")
    classroom = CourseFactory(title="MCA in practice")
    classroom.prerequisites.add(elearning)
    client.force_login(coordinator)
    data = {
        "code": elearning.code, "title": elearning.title, "summary": elearning.summary, "duration": "1 hour",
        "delivery_mode": "elearning", "variant": "standard", "cancellation_notice_days": "7", "is_active": "on",
        "prerequisites": [classroom.pk],
    }
    response = client.post(reverse("training:course_edit", args=[elearning.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["prerequisites"] == [
        "MCA in practice already needs this course first, so it cannot also be a prerequisite of it: nobody "
        "could ever book either."]
    assert list(elearning.prerequisites.all()) == []
    assert Course.objects.get(pk=elearning.pk).duration == elearning.duration


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({"booking_opens_at": dt.timedelta(days=3)}, "Booking for this session opens on "),
        ({"booking_closes_at": -dt.timedelta(hours=1)}, "Booking for this session closed on "),
    ],
)
def test_the_booking_window_is_enforced_and_explained(client, practitioner, window, expected):
    now = timezone.now()
    session = SessionFactory(**{name: now + delta for name, delta in window.items()})
    client.force_login(practitioner)
    page = client.get(session.get_absolute_url()).content.decode()
    assert expected in page and "Book a place" not in page
    response = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)
    assert expected in response.content.decode()
    assert not Booking.objects.exists()


def test_a_cancelled_or_started_session_says_why_it_cannot_be_booked(client, practitioner):
    cancelled = SessionFactory(status=Session.Status.CANCELLED)
    started = SessionFactory(start=timezone.localtime() - dt.timedelta(hours=1))
    client.force_login(practitioner)
    assert "This session has been cancelled, so it cannot be booked." in client.get(
        cancelled.get_absolute_url()).content.decode()
    response = client.post(reverse("training:booking_create", args=[started.pk]), follow=True)
    assert "This session has already started, so it can no longer be booked." in response.content.decode()
    assert not Booking.objects.exists()


def test_cancelling_a_session_needs_a_reason(client, coordinator, make_user, mailoutbox):
    session = SessionFactory()
    booking = BookingFactory(session=session, person=make_user())
    client.force_login(coordinator)
    response = client.post(reverse("training:session_cancel", args=[session.pk]), {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors["reason"] == ["This field is required."]
    session.refresh_from_db(), booking.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED and booking.status == Booking.Status.CONFIRMED
    assert mailoutbox == []


def test_booking_a_session_of_an_inactive_course_or_none_at_all_is_a_404(client, practitioner):
    hidden = SessionFactory(course=CourseFactory(is_active=False))
    client.force_login(practitioner)
    assert client.post(reverse("training:booking_create", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("training:booking_create", args=[999999])).status_code == 404
    assert client.get(reverse("training:booking_create", args=[hidden.pk])).status_code == 405
    assert not Booking.objects.exists()


def test_a_session_entered_after_it_happened_says_it_is_not_open_for_booking(client, coordinator):
    course = CourseFactory()
    day = timezone.localdate() - dt.timedelta(days=3)
    data = {
        "course": course.pk, "capacity": "12", "venue_name": "Civic Centre", "dates-TOTAL_FORMS": "1",
        "dates-INITIAL_FORMS": "0", "dates-MIN_NUM_FORMS": "0", "dates-MAX_NUM_FORMS": "10",
        "dates-0-day": day.isoformat(), "dates-0-start": "09:30", "dates-0-end": "12:30",
    }
    client.force_login(coordinator)
    response = client.post(reverse("training:session_create"), data, follow=True)
    assert ("Session created. It has already started, so it is not open for booking; its register can be kept."
            in response.content.decode())
    assert Session.objects.get().course == course


def _session_data(course, **changes):
    day = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    return {
        "course": course.pk, "capacity": "12", "venue_name": "Civic Centre", "dates-TOTAL_FORMS": "1",
        "dates-INITIAL_FORMS": "0", "dates-MIN_NUM_FORMS": "0", "dates-MAX_NUM_FORMS": "10",
        "dates-0-day": day, "dates-0-start": "09:30", "dates-0-end": "12:30", **changes,
    }


@pytest.mark.parametrize(
    ("page", "data", "field"),
    [
        ("session_create", lambda course: _session_data(course, trainers=[HUGE]), "trainers"),
        ("requirement_create", lambda course: {"title": "Safeguarding", "courses": [course.pk, HUGE]}, "courses"),
        ("course_create", lambda course: {"code": "X1", "title": "X", "themes": [HUGE]}, "themes"),
        ("course_create", lambda course: {"code": "X1", "title": "X", "prerequisites": [HUGE]}, "prerequisites"),
    ],
)
def test_an_id_beyond_64_bits_in_a_multiple_choice_is_not_a_valid_choice(client, coordinator, page, data, field):
    """Was an OverflowError (a 500) on SQLite: now Django's usual message beside the field, nothing written."""
    course = CourseFactory()
    before = _counts()
    client.force_login(coordinator)
    response = client.post(reverse(f"training:{page}"), data(course))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        f"Select a valid choice. {HUGE} is not one of the available choices."]
    assert _counts() == before


@pytest.mark.parametrize("value", [f"{HUGE}:attended", "12:maybe", "x:no_show"])
def test_a_tampered_register_button_says_the_person_is_not_on_this_register(client, coordinator, make_user, value):
    session = SessionFactory(start=timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0))
    booking = BookingFactory(session=session, person=make_user())
    client.force_login(coordinator)
    response = client.post(reverse("training:session_register", args=[session.pk]), {"one": value}, follow=True)
    assert response.status_code == 200
    assert "Those people are not on this register. Nothing was marked." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_ticked_booking_from_another_session_is_not_on_this_register(client, coordinator, make_user):
    """Found by review: a bulk post naming a booking of another session said "Tick at least one person"."""
    session = SessionFactory(start=timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0))
    mine = BookingFactory(session=session, person=make_user())
    elsewhere = BookingFactory(person=make_user())
    client.force_login(coordinator)
    for ticked in ([elsewhere.pk], [mine.pk, elsewhere.pk], [HUGE]):
        response = client.post(reverse("training:session_register", args=[session.pk]),
                               {"bulk": "attended", "booking": ticked}, follow=True)
        page = response.content.decode()
        assert "Those people are not on this register. Nothing was marked." in page
        assert "Tick at least one person" not in page
    response = client.post(reverse("training:session_register", args=[session.pk]), {"bulk": "attended"},
                           follow=True)
    assert "Tick at least one person, then choose how to mark them." in response.content.decode()
    assert set(Booking.objects.values_list("status", flat=True)) == {Booking.Status.CONFIRMED}


@pytest.mark.parametrize(("months", "message"), [
    ("0", "Enter at least 1 month, or leave it empty if once is enough."),
    ("-3", "Enter at least 1 month, or leave it empty if once is enough."),
    ("241", "Enter at most 240 months (20 years), or leave it empty if once is enough."),
])
def test_a_refresher_interval_is_at_least_a_month_or_empty(client, coordinator, months, message):
    course, version, band = CourseFactory(), StandardVersionFactory(), BandFactory(number=2)
    client.force_login(coordinator)
    url = reverse("training:requirement_create")
    assert 'name="refresher_months" min="1" max="240"' in client.get(url).content.decode()
    data = {"version": version.pk, "band": band.pk, "title": "Safeguarding", "courses": [course.pk], "order": "0"}
    response = client.post(url, data | {"refresher_months": months})
    assert response.status_code == 200 and response.context["form"].errors["refresher_months"] == [message]
    assert not models.Requirement.objects.exists()
    client.post(url, data | {"refresher_months": ""})
    assert models.Requirement.objects.get().refresher_months is None  # empty: once is enough
