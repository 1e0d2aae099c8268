"""Journey 3 in headless Chromium, axe-clean on every page visited: a coordinator keeps the register and closes
the session; the practitioner downloads their certificate and gives feedback."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.roles import Role
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from training.models import Booking, Completion, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_marks_attendance_then_the_practitioner_gets_a_certificate(
    page, nav_to, make_user, sign_in, assert_accessible
):
    coordinator = make_user(Role.TRAINING_COORDINATOR, Role.PRACTITIONER, first_name="Chloe", last_name="Bennett")
    priya = make_user(first_name="Priya", last_name="Shah")
    tom = make_user(first_name="Tom", last_name="Okafor")
    session = SessionFactory(course=CourseFactory(title="Don't Neglect the Issue", code="NEG"), capacity=10,
                             start=timezone.localtime() - dt.timedelta(minutes=45))
    for person in (priya, tom):
        BookingFactory(session=session, person=person)

    # The coordinator: from the session to its register; marks one by one and closes.
    sign_in(page, coordinator)
    page.goto(f"/training/manage/sessions/{session.pk}/")
    page.get_by_role("link", name="Open the register").click()
    expect(page.get_by_role("heading", name="Register: Don't Neglect the Issue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Attended (Priya Shah)").click()
    expect(page.get_by_text("Priya Shah marked attended.")).to_be_visible()
    assert_accessible(page)
    # Closing shows a summary first; Tom, not marked yet, is marked there before it may close.
    page.get_by_role("link", name="Close the session…").click()
    expect(page.get_by_role("heading", name="Mark 1 person first")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Did not attend (Tom Okafor)").click()
    expect(page.get_by_text("Tom Okafor marked did not attend.")).to_be_visible()
    page.get_by_role("button", name="Close the session: 1 completion").click()
    expect(page.get_by_text("Session closed.")).to_be_visible()
    expect(page.get_by_role("link", name="Certificate for Priya Shah (PDF)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The practitioner: My training shows the completion; the certificate is a PDF; feedback.
    sign_in(page, priya)
    nav_to(page, "My training")
    expect(page.get_by_role("heading", name="My training", level=1)).to_be_visible()
    assert_accessible(page)
    link = page.get_by_role("link", name="Download certificate for Don't Neglect the Issue")
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("certificate-NEG-")

    page.get_by_role("link", name="Give feedback on Don't Neglect the Issue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("4 – Useful").check()
    page.get_by_label("Comments (optional)").fill("The neglect toolkit examples were useful.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you for your feedback.")).to_be_visible()
    assert page.get_by_role("link", name="Give feedback on Don't Neglect the Issue").count() == 0
    assert_accessible(page)

    assert Booking.objects.get(person=tom).status == Booking.Status.NO_SHOW
    assert Completion.objects.get().person == priya
    assert Evaluation.objects.get().rating == 4


def test_compliance_pages_and_panels_are_accessible(page, nav_to, make_user, sign_in, assert_accessible):
    from tests.training.factories import BandFactory, CompletionFactory, RequirementFactory

    today = timezone.localdate()
    manager = make_user(Role.LINE_MANAGER, Role.PRACTITIONER, first_name="Martin", last_name="Okafor",
                        profile={"is_organisation_lead": True})
    safeguarding, sos = CourseFactory(title="Safeguarding level 2"), CourseFactory(title="Signs of Safety")
    band = BandFactory(number=3)
    RequirementFactory(band=band, title="Safeguarding", refresher_months=36, courses=[safeguarding])
    RequirementFactory(band=band, title="Signs of Safety", refresher_months=24, courses=[sos],
                       version=band.requirements.first().version)
    for i, first in enumerate(["Ana", "Ben", "Cai"]):
        person = make_user(first_name=first, last_name="Team",
                           profile={"line_manager": manager, "organisation": manager.profile.organisation})
        CompletionFactory(person=person, course=safeguarding, completed_on=today - dt.timedelta(days=400 * i))

    sign_in(page, manager)
    expect(page.get_by_role("heading", name="Team compliance")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Your team's compliance").click()
    expect(page.get_by_role("heading", name="My team's training compliance")).to_be_visible()
    assert page.get_by_role("cell", name="Never done").count() == 3
    assert_accessible(page)
    page.get_by_role("link", name="My organisation").click()
    page.get_by_label("Band").select_option("3")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Ana Team")).to_be_visible()
    assert_accessible(page)
    nav_to(page, "My training")
    assert_accessible(page)
