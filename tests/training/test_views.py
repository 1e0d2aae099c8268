"""Pages as people use them (Django test client): what they see, what bad input does, what they may not see."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.training.factories import (
    BandFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    ThemeFactory,
)
from training import selectors
from training.models import Booking, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.TRAINING_COORDINATOR)


def test_catalogue_filters_required_for_me_and_searches(client, practitioner):
    required = CourseFactory(title="Safeguarding children: level 2")
    CourseFactory(title="Solihull Approach")
    RequirementFactory(band=BandFactory(number=3), courses=[required])
    SessionFactory(course=required)
    client.force_login(practitioner)  # band 3 (StaffProfileFactory)

    page = client.get(reverse("training:catalogue"), {"required_for_me": "on"}).content.decode()
    assert "Safeguarding children: level 2" in page and "Solihull" not in page
    assert "Required for you" in page
    page = client.get(reverse("training:catalogue"), {"q": "solihull"}).content.decode()
    assert "Solihull Approach" in page and "Safeguarding children" not in page


def test_required_for_me_lists_what_the_person_still_lacks_with_a_switch_for_all(
        client, practitioner, django_capture_on_commit_callbacks):
    """Issue 14: "Only courses required for me" listed every course of the band, done or not."""
    from training.models import Completion

    done = CourseFactory(title="Safeguarding children: level 1")
    lacking = CourseFactory(title="Prevent awareness")
    band = BandFactory(number=3)
    first = RequirementFactory(band=band, courses=[done], title="Safeguarding 1")
    RequirementFactory(band=band, courses=[lacking], title="Prevent", version=first.version)
    Completion.objects.create(person=practitioner, course=done, completed_on=timezone.localdate())
    client.force_login(practitioner)

    still = client.get(reverse("training:catalogue"), {"required_for_me": "on"}).content.decode()
    assert "Prevent awareness" in still and "Safeguarding children: level 1" not in still
    every = client.get(reverse("training:catalogue"), {"required_for_me": "on", "including_done": "on"})
    assert "Prevent awareness" in every.content.decode()
    assert "Safeguarding children: level 1" in every.content.decode()
    # Once Prevent is done too, nothing is left to find (and no other person's list is served).
    with django_capture_on_commit_callbacks(execute=True):  # as a committed change makes the cache stale
        Completion.objects.create(person=practitioner, course=lacking, completed_on=timezone.localdate())
    after = client.get(reverse("training:catalogue"), {"required_for_me": "on"}).content.decode()
    assert "Prevent awareness" not in after


def test_catalogue_filters_by_theme_mode_dates_and_places(client, practitioner, make_user):
    theme = ThemeFactory(name="Signs of Safety", slug="signs-of-safety")
    sos = CourseFactory(title="Signs of Safety foundation", delivery_mode="blended")
    sos.themes.add(theme)
    full = CourseFactory(title="Full course")
    full_session = SessionFactory(course=full, capacity=1, start=timezone.localtime() + dt.timedelta(days=90))
    Booking.objects.create(session=full_session, person=make_user(), status=Booking.Status.CONFIRMED)
    SessionFactory(course=sos, start=timezone.localtime() + dt.timedelta(days=10))
    client.force_login(practitioner)

    def titles(**params):
        return client.get(reverse("training:catalogue"), params).content.decode()

    assert "Full course" not in titles(theme="signs-of-safety")
    assert "Full course" not in titles(delivery_mode="blended")
    assert "Full course" not in titles(places_free="on") and "Signs of Safety foundation" in titles(places_free="on")
    soon = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert "Full course" not in titles(date_to=soon) and "Signs of Safety foundation" in titles(date_to=soon)
    bad = client.get(reverse("training:catalogue"), {"date_from": "not a date"})
    assert bad.status_code == 200 and "Enter a valid date" in bad.content.decode()


def test_course_page_shows_prerequisites_terms_and_places(client, practitioner):
    elearning = CourseFactory(title="MCA e-learning")
    course = CourseFactory(title="MCA in practice", cancellation_notice_days=5)
    course.prerequisites.add(elearning)
    SessionFactory(course=course, capacity=12)
    client.force_login(practitioner)
    page = client.get(course.get_absolute_url()).content.decode()
    assert f'href="{elearning.get_absolute_url()}"' in page
    assert "Not completed yet" in page
    assert "at least 5 days before" in page
    assert "12 of 12" in page


def test_course_page_offers_booking_only_where_it_is_open_and_says_why_not(client, practitioner,
                                                                          django_assert_max_num_queries):
    course = CourseFactory(title="Signs of Safety")
    now = timezone.now()
    opens = now + dt.timedelta(days=3)
    SessionFactory(course=course, start=timezone.localtime(now + dt.timedelta(days=10)), booking_opens_at=opens)
    SessionFactory(course=course, start=timezone.localtime(now + dt.timedelta(days=20)),
                   booking_closes_at=now - dt.timedelta(hours=1))
    SessionFactory(course=course, start=timezone.localtime(now + dt.timedelta(days=30)))
    client.force_login(practitioner)
    client.get(course.get_absolute_url())  # the session, the roles: what every page has once
    cache.delete_many([selectors.CATALOGUE_VERSION_KEY, f"training:course-page:{course.pk}"])  # the page's own
    with django_assert_max_num_queries(30) as queries:
        page = client.get(course.get_absolute_url()).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert f"Booking for this session opens on {timezone.localtime(opens):%a %-d %b %Y, %H:%M}." in rows[0]
    assert "Booking for this session closed on " in rows[1]
    assert ">Book<" not in rows[0] and ">Book<" not in rows[1]
    assert ">Book<" in rows[2]
    # The reason comes from the session's own fields: a fourth session adds no query.
    SessionFactory(course=course, start=timezone.localtime(now + dt.timedelta(days=40)), booking_opens_at=opens)
    cache.delete_many([selectors.CATALOGUE_VERSION_KEY, f"training:course-page:{course.pk}"])
    with django_assert_max_num_queries(len(queries)):
        client.get(course.get_absolute_url())


def test_booking_with_a_missing_prerequisite_explains_with_a_link(client, practitioner):
    elearning = CourseFactory(title="MCA e-learning")
    course = CourseFactory(title="MCA in practice")
    course.prerequisites.add(elearning)
    session = SessionFactory(course=course)
    client.force_login(practitioner)
    response = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)
    page = response.content.decode()
    assert f'You need to complete <a href="{elearning.get_absolute_url()}">MCA e-learning</a>' in page
    assert not Booking.objects.exists()


def test_booking_an_overlap_asks_then_books(client, practitioner):
    start = timezone.localtime() + dt.timedelta(days=12)
    first, second = SessionFactory(start=start), SessionFactory(start=start + dt.timedelta(hours=1))
    client.force_login(practitioner)
    client.post(reverse("training:booking_create", args=[first.pk]))
    response = client.post(reverse("training:booking_create", args=[second.pk]))
    assert "overlaps another of yours" in response.content.decode()
    assert Booking.objects.filter(person=practitioner).count() == 1
    response = client.post(reverse("training:booking_create", args=[second.pk]), {"confirm_overlap": "on"},
                           follow=True)
    assert "Your place is booked" in response.content.decode()
    assert Booking.objects.filter(person=practitioner, status=Booking.Status.CONFIRMED).count() == 2


def test_my_bookings_shows_waiting_list_position_and_others_cannot_cancel(client, practitioner, make_user):
    session = SessionFactory(capacity=1)
    other = make_user()
    client.force_login(other)
    client.post(reverse("training:booking_create", args=[session.pk]))
    client.force_login(practitioner)
    client.post(reverse("training:booking_create", args=[session.pk]))
    page = client.get(reverse("training:my_bookings")).content.decode()
    assert "Number 1" in page and "Leave the waiting list" in page
    others_booking = Booking.objects.get(person=other)
    assert client.post(reverse("training:booking_cancel", args=[others_booking.pk])).status_code == 404
    assert Booking.objects.get(person=other).status == Booking.Status.CONFIRMED


def test_approvals_are_only_for_the_line_manager(client, make_user):
    manager = make_user(Role.LINE_MANAGER)
    person = make_user(profile={"line_manager": manager})
    session = SessionFactory(course=CourseFactory(needs_manager_approval=True))
    client.force_login(person)
    client.post(reverse("training:booking_create", args=[session.pk]))
    booking = Booking.objects.get()
    other_manager = make_user(Role.LINE_MANAGER)
    client.force_login(other_manager)
    assert client.get(reverse("training:approval_decide", args=[booking.pk])).status_code == 404
    client.force_login(person)
    assert client.get(reverse("training:approvals")).status_code == 404  # not a manager
    client.force_login(manager)
    response = client.post(reverse("training:approval_decide", args=[booking.pk]), {"decision": "approve"},
                           follow=True)
    assert "approved: the place is confirmed" in response.content.decode()


def test_coordinator_pages_need_the_role(client, practitioner, coordinator):
    session = SessionFactory()
    client.force_login(practitioner)
    for name, args in [("manage_home", []), ("standard", []), ("course_create", []),
                       ("session_manage", [session.pk]), ("session_cancel", [session.pk])]:
        assert client.get(reverse(f"training:{name}", args=args)).status_code == 404
    client.force_login(coordinator)
    for name, args in [("manage_home", []), ("standard", []), ("course_list_manage", []), ("course_create", []),
                       ("event_list_manage", []), ("session_create", []), ("session_manage", [session.pk]),
                       ("session_edit", [session.pk]), ("requirement_create", []), ("band_create", [])]:
        assert client.get(reverse(f"training:{name}", args=args)).status_code == 200, name


def test_coordinator_creates_a_two_day_session_and_bad_dates_change_nothing(client, coordinator):
    course = CourseFactory()
    client.force_login(coordinator)
    day = timezone.localdate() + dt.timedelta(days=40)
    data = {
        "course": course.pk, "capacity": "12", "venue_name": "Civic Centre", "dates-TOTAL_FORMS": "3",
        "dates-INITIAL_FORMS": "0", "dates-MIN_NUM_FORMS": "0", "dates-MAX_NUM_FORMS": "10",
        "dates-0-day": day.isoformat(), "dates-0-start": "09:30", "dates-0-end": "16:30",
        "dates-1-day": (day + dt.timedelta(days=1)).isoformat(), "dates-1-start": "09:30", "dates-1-end": "16:30",
    }
    bad = client.post(reverse("training:session_create"), {**data, "dates-1-end": "08:00"})
    assert "The end time must be after the start time." in bad.content.decode()
    no_venue = client.post(reverse("training:session_create"), {**data, "venue_name": ""})
    assert "Give a venue, an online link, or both." in no_venue.content.decode()
    assert not Session.objects.exists()
    response = client.post(reverse("training:session_create"), data, follow=True)
    session = Session.objects.get()
    assert session.dates.count() == 2
    assert timezone.localtime(session.starts_at).hour == 9
    assert "Session created" in response.content.decode()


def test_coordinator_sees_a_bookings_history(client, coordinator, practitioner):
    session = SessionFactory(capacity=1)
    client.force_login(practitioner)
    client.post(reverse("training:booking_create", args=[session.pk]))
    booking = Booking.objects.get()
    client.post(reverse("training:booking_cancel", args=[booking.pk]))
    client.force_login(coordinator)
    page = client.get(reverse("training:session_manage", args=[session.pk])).content.decode()
    assert "new → Confirmed" in page and "Confirmed → Cancelled" in page


def test_an_event_page_lists_its_programme(client, practitioner):
    from training.models import Event

    event = Event.objects.create(name="Every Colleague Matters, June", slug="ecm-june",
                                 starts_on=timezone.localdate() + dt.timedelta(days=30),
                                 ends_on=timezone.localdate() + dt.timedelta(days=34))
    SessionFactory(course=CourseFactory(title="Neglect"), event=event)
    SessionFactory(course=CourseFactory(title="Prevent"), event=event, status=Session.Status.CANCELLED)
    client.force_login(practitioner)
    assert "Every Colleague Matters, June" in client.get(reverse("training:catalogue")).content.decode()
    page = client.get(reverse("training:event_detail", args=["ecm-june"])).content.decode()
    assert "Neglect" in page and "Prevent" not in page


def test_coordinator_can_list_past_sessions(client, coordinator):
    SessionFactory(course=CourseFactory(title="Long ago course"), start=timezone.localtime() - dt.timedelta(days=40))
    SessionFactory(course=CourseFactory(title="Soon course"))
    client.force_login(coordinator)
    page = client.get(reverse("training:manage_home")).content.decode()
    assert "Soon course" in page and "Long ago course" not in page
    page = client.get(reverse("training:manage_home"), {"past": "1"}).content.decode()
    assert "Soon course" in page and "Long ago course" in page


def _new_session(course, *rows, **changes):
    data = {"course": course.pk, "capacity": "12", "venue_name": "Civic Centre", "dates-TOTAL_FORMS": str(len(rows)),
            "dates-INITIAL_FORMS": "0", "dates-MIN_NUM_FORMS": "0", "dates-MAX_NUM_FORMS": "10"}
    for i, (day, start, end) in enumerate(rows):
        data |= {f"dates-{i}-day": day, f"dates-{i}-start": start, f"dates-{i}-end": end}
    return data | changes


def _summary(page: str) -> str:
    start = page.index('id="error-summary"')
    return page[start:page.index("</div>", start)]


def test_a_date_error_is_in_the_summary_at_the_top_linked_to_its_field(client, coordinator):
    course = CourseFactory()
    day = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    client.force_login(coordinator)
    page = client.post(reverse("training:session_create"),
                       _new_session(course, (day, "09:30", "12:30"), (day, "14:00", "13:00"))).content.decode()
    summary = _summary(page)
    assert "There is a problem" in summary
    assert '<a href="#id_dates-1-end">Day 2, ends: The end time must be after the start time.</a>' in summary
    assert not Session.objects.exists()


def test_capacity_must_be_at_least_one_and_the_box_says_so(client, coordinator):
    course = CourseFactory()
    day = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    client.force_login(coordinator)
    page = client.get(reverse("training:session_create")).content.decode()
    assert 'name="capacity" min="1" max="1000"' in page
    response = client.post(reverse("training:session_create"),
                           _new_session(course, (day, "09:30", "12:30"), capacity="0"))
    assert response.context["form"].errors["capacity"] == ["Ensure this value is greater than or equal to 1."]
    assert 'href="#id_capacity"' in _summary(response.content.decode())
    assert not Session.objects.exists()


def test_a_time_the_clocks_skip_is_refused_and_a_time_they_repeat_means_the_first(client, coordinator):
    """Europe/London: 01:00–02:00 on 28 March 2027 does not happen; 01:00–02:00 on 31 October 2027 happens twice."""
    course = CourseFactory()
    client.force_login(coordinator)
    response = client.post(reverse("training:session_create"),
                           _new_session(course, ("2027-03-28", "01:30", "03:30")))
    assert response.status_code == 200
    message = "01:30 does not exist on 28 March 2027: the clocks go forward an hour that night. Choose another time."
    assert '<a href="#id_dates-0-start">Day 1, starts: ' + message + "</a>" in _summary(response.content.decode())
    assert not Session.objects.exists()

    client.post(reverse("training:session_create"), _new_session(course, ("2027-10-31", "01:30", "03:00")))
    session = Session.objects.get()
    assert session.starts_at == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)  # 01:30 BST, the first 01:30
    assert session.ends_at == dt.datetime(2027, 10, 31, 3, 0, tzinfo=dt.UTC)  # 03:00 GMT


def test_more_places_tell_the_coordinator_who_was_given_one(client, coordinator, make_user):
    session = SessionFactory(capacity=1)
    from training import services

    services.booking_create(session=session, person=make_user())
    first = services.booking_create(session=session, person=make_user(first_name="Wendy", last_name="Wait"))
    second = services.booking_create(session=session, person=make_user(first_name="Xavier", last_name="Next"))
    services.booking_create(session=session, person=make_user(first_name="Still", last_name="Waiting"))
    start = timezone.localtime(session.starts_at)
    data = {"capacity": "3", "venue_name": session.venue_name, "venue_address": session.venue_address,
            "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "1", "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "10", "dates-0-day": start.date().isoformat(),
            "dates-0-start": f"{start:%H:%M}", "dates-0-end": f"{timezone.localtime(session.ends_at):%H:%M}"}
    client.force_login(coordinator)
    response = client.post(reverse("training:session_edit", args=[session.pk]), data, follow=True)
    assert ("Session saved. Given a place from the waiting list (and emailed): Wendy Wait, Xavier Next."
            in response.content.decode())
    assert set(Booking.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Booking.Status.CONFIRMED}


def test_a_cancelled_sessions_page_shows_no_places(client, practitioner):
    session = SessionFactory(capacity=16, status=Session.Status.CANCELLED)
    client.force_login(practitioner)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "This session has been cancelled" in page
    assert "places left" not in page and "16 of 16" not in page
    assert "16 of 16 places left" in client.get(SessionFactory(capacity=16).get_absolute_url()).content.decode(
        ).replace("<strong>", "").replace("</strong>", "")


def test_a_place_passed_on_shows_to_whom_and_by_whom_in_my_bookings(client, make_user):
    from training import services

    manager = make_user(Role.LINE_MANAGER, first_name="Martha", last_name="Manager")
    holder, colleague = (make_user(first_name=name, last_name="Team", profile={"line_manager": manager})
                         for name in ("Hana", "Cal"))
    booking = services.booking_create(session=SessionFactory(), person=holder)
    services.booking_transfer(booking=booking, to_person=colleague, by=manager)
    client.force_login(holder)
    page = client.get(reverse("training:my_bookings")).content.decode()
    assert "Passed to Cal Team by Martha Manager." in page


def test_a_session_page_never_offers_free_cancellation_until_a_day_already_past(client, practitioner):
    soon = SessionFactory(start=timezone.localtime() + dt.timedelta(days=2), course__cancellation_notice_days=7)
    later = SessionFactory(start=timezone.localtime() + dt.timedelta(days=30), course__cancellation_notice_days=7)
    client.force_login(practitioner)
    page = " ".join(client.get(soon.get_absolute_url()).content.decode().split())
    assert "Free cancellation until" not in page
    assert "has passed: a place booked now and then cancelled is recorded as a late cancellation" in page
    page = " ".join(client.get(later.get_absolute_url()).content.decode().split())
    assert f"Free cancellation until {timezone.localtime(later.cancellation_deadline):%a %-d %b %Y, %H:%M}" in page
