"""Coordinators' and managers' pages in headless Chromium, axe-clean: the standard, courses, sessions."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.training.factories import BandFactory, CourseFactory, RequirementFactory, SessionFactory, ThemeFactory
from training.models import Booking, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_keeps_the_standard_and_changes_then_cancels_a_session(page, nav_to, make_user, sign_in,
                                                                           assert_accessible):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    ThemeFactory(name="Safeguarding and promoting welfare", slug="safeguarding")
    course = CourseFactory(title="Safeguarding children: level 2")
    RequirementFactory(band=BandFactory(number=3), title="Safeguarding level 2", courses=[course])
    session = SessionFactory(course=course, capacity=5)
    attendee = make_user(first_name="Ada")
    Booking.objects.create(session=session, person=attendee, status=Booking.Status.CONFIRMED,
                           confirmed_at=timezone.now())
    sign_in(page, coordinator)
    expect(page.get_by_role("heading", name="Upcoming sessions")).to_be_visible()
    assert_accessible(page)

    nav_to(page, "Manage training")
    assert_accessible(page)
    page.get_by_role("link", name="The standard").click()
    assert page.get_by_role("cell", name="36 months").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Edit Safeguarding level 2, band 3").click()
    page.get_by_label("Refresher months").fill("36")
    page.get_by_role("button", name="Save requirement").click()
    expect(page.get_by_text("Requirement saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="36 months")).to_be_visible()

    page.get_by_role("link", name="Courses").last.click()
    page.get_by_role("link", name="New course").click()
    page.get_by_role("button", name="Save course").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/training/manage/sessions/{session.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Change the session").click()
    assert_accessible(page)
    page.get_by_label("Venue name").fill("Central Library, Learning Room")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Everyone booked has been emailed about the change (venue).")).to_be_visible()
    changed = [m for m in mail.outbox if m.to == [attendee.email]][-1]
    assert "Central Library" in changed.body and "SEQUENCE:1" in changed.attachments[0][1]

    page.get_by_role("link", name="Cancel the session").click()
    page.get_by_role("button", name="Cancel the session").click()
    assert "Reason" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Reason (sent to everyone booked)").fill("The trainer is unwell.")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_text("Session cancelled.")).to_be_visible()
    assert "Confirmed → Cancelled" in page.locator(".booking-history").inner_text()
    assert_accessible(page)
    assert Session.objects.get().status == Session.Status.CANCELLED
    assert "METHOD:CANCEL" in [m for m in mail.outbox if m.to == [attendee.email]][-1].attachments[0][1]


def test_manager_passes_a_place_to_a_colleague(page, nav_to, make_user, sign_in, assert_accessible):
    manager = make_user(Role.LINE_MANAGER, first_name="Martin", last_name="Okafor")
    holder = make_user(first_name="Hana", last_name="Holder", profile={"line_manager": manager})
    colleague = make_user(first_name="Cole", last_name="League", profile={"line_manager": manager})
    session = SessionFactory(course=CourseFactory(title="Domestic abuse awareness"),
                             start=timezone.localtime() + dt.timedelta(days=20))
    Booking.objects.create(session=session, person=holder, status=Booking.Status.CONFIRMED, confirmed_at=timezone.now())
    sign_in(page, manager)
    nav_to(page, "Approvals")
    assert_accessible(page)
    page.get_by_role("link", name="Pass to a colleague the place of Hana Holder").click()
    assert_accessible(page)
    page.get_by_label("Pass the place to").select_option(label=f"Cole League ({colleague.email})")
    page.get_by_role("button", name="Pass the place on").click()
    expect(page.get_by_text("The place has passed from Hana Holder to Cole League.")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get(status=Booking.Status.CONFIRMED).person == colleague
