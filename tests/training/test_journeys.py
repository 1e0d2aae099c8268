"""Booking journeys in headless Chromium, axe-clean on every page visited."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.training.factories import BandFactory, CourseFactory, RequirementFactory, SessionFactory
from training.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_practitioner_finds_a_required_course_books_it_and_cancels(page, practitioner, sign_in, assert_accessible):
    course = CourseFactory(title="Signs of Safety: two-day foundation", summary="The practice framework.")
    CourseFactory(title="Solihull Approach: foundation")
    RequirementFactory(band=BandFactory(number=3), title="Signs of Safety", courses=[course])
    session = SessionFactory(course=course, capacity=10, days=2,
                             start=(timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=30))
    sign_in(page, practitioner)
    assert_accessible(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    page.get_by_label("Only courses I still need for the standard").check()
    page.get_by_role("button", name="Show courses").click()
    expect(page.get_by_role("heading", name="1 course matches")).to_be_visible()
    assert page.get_by_text("Solihull").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Signs of Safety: two-day foundation").click()
    expect(page.get_by_text("Required for you").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name="Book").click()
    expect(page.get_by_text("10 of 10 places left")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Book a place").click()

    expect(page.get_by_text("Your place is booked")).to_be_visible()
    upcoming = page.get_by_role("table").first
    assert "Signs of Safety: two-day foundation" in upcoming.inner_text() and "Confirmed" in upcoming.inner_text()
    assert_accessible(page)
    assert mail.outbox[-1].attachments[0][0] == "invitation.ics"

    page.get_by_role("link", name="Cancel Signs of Safety").click()
    expect(page.get_by_role("heading", name="Cancel your booking?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
    expect(page.get_by_text("You have no upcoming bookings.")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(session=session).status == Booking.Status.CANCELLED


def test_full_session_waiting_list_promotion(browser, live_server, page, make_user, sign_in, assert_accessible):
    session = SessionFactory(course=CourseFactory(title="Safeguarding children: level 2"), capacity=1)
    first, second = make_user(first_name="Fola"), make_user(first_name="Sam")

    sign_in(page, first)
    page.goto(session.get_absolute_url())
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("Your place is booked")).to_be_visible()

    second_context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    other = second_context.new_page()
    sign_in(other, second)
    other.goto(session.get_absolute_url())
    expect(other.get_by_text("Full.")).to_be_visible()
    assert_accessible(other)
    other.get_by_role("button", name="Join the waiting list").click()
    expect(other.get_by_text("you are on the waiting list")).to_be_visible()
    expect(other.get_by_role("cell", name="Number 1")).to_be_visible()
    assert_accessible(other)

    page.goto("/training/my-bookings/")
    page.get_by_role("link", name="Cancel Safeguarding children: level 2").click()
    page.get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()

    other.reload()
    upcoming = other.get_by_role("table").first
    assert "Safeguarding children: level 2" in upcoming.inner_text() and "Confirmed" in upcoming.inner_text()
    expect(other.get_by_text("You are not on any waiting lists.")).to_be_visible()
    assert_accessible(other)
    promoted = [m for m in mail.outbox if m.to == [second.email]][-1]
    assert promoted.subject == "You have a place: Safeguarding children: level 2"
    second_context.close()


def test_manager_approves_a_booking(page, make_user, sign_in, assert_accessible):
    manager = make_user(Role.LINE_MANAGER, Role.PRACTITIONER, first_name="Martin", last_name="Okafor")
    person = make_user(first_name="Priya", last_name="Shah", profile={"line_manager": manager})
    session = SessionFactory(course=CourseFactory(title="Safeguarding children: level 3", needs_manager_approval=True))

    sign_in(page, person)
    page.goto(session.get_absolute_url())
    expect(page.get_by_text("Your line manager will be asked to approve this booking.")).to_be_visible()
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text("Your request has gone to your line manager")).to_be_visible()
    assert "Awaiting manager approval" in page.get_by_role("table").first.inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, manager)
    expect(page.get_by_role("heading", name="Bookings to approve")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Priya Shah: Safeguarding children: level 3").click()
    expect(page.get_by_role("heading", name="Approve or decline Priya Shah's booking")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Booking for Priya Shah approved: the place is confirmed.")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
    assert mail.outbox[-1].to == [person.email] and mail.outbox[-1].subject.startswith("Booking approved")


def test_coordinator_creates_a_course_then_a_four_day_session_from_its_page(page, make_user, sign_in,
                                                                              assert_accessible):
    """Issue 14: no Edit or Add a session on the course page; the session form stopped at three days and
    marked the optional days as required."""
    coordinator = make_user(Role.TRAINING_COORDINATOR, first_name="Cora", last_name="Ordinator")
    course = CourseFactory(title="Signs of Safety: four-day practitioner course")
    sign_in(page, coordinator)
    page.goto(course.get_absolute_url())
    page.get_by_role("region", name="Manage this course").get_by_role("link", name="Add a session").click()
    expect(page.get_by_role("heading", name="New session")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Course")).to_have_value(str(course.pk))  # filled in from the course page
    assert page.locator(".session-date-row .asteriskField").count() == 0  # spare days are not "required"
    first = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_role("button", name="Add a day").click()
    expect(page.get_by_role("group", name="Day 4")).to_be_visible()
    for number in range(4):
        day = page.get_by_role("group", name=f"Day {number + 1}")
        day.get_by_label("Date").fill((first + dt.timedelta(days=number)).isoformat())
        day.get_by_label("Starts").fill("09:30")
        day.get_by_label("Ends").fill("16:00")
    page.get_by_label("Capacity").fill("16")
    page.get_by_label("Venue name").fill("Civic Centre, Room 3")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session created.")).to_be_visible()
    assert_accessible(page)
    session = course.sessions.get()
    assert session.dates.count() == 4 and session.capacity == 16
