"""Pages with tables on a phone (375 pixels): the page never scrolls sideways; a table wider than the screen
scrolls inside its box, which keyboard users can focus and screen readers announce by the table's name."""

import pytest

from core.roles import Role
from tests.actions.factories import ActionFactory, StrategyFactory
from tests.partners.factories import OrganisationFactory
from tests.training.factories import BookingFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/partnership/organisations/", "/people/dashboard/", "/people/designated-roles/", "/plan/strategies/",
         "/training/my-bookings/", "/training/my-training/"]


def test_pages_with_tables_fit_a_phone_and_their_tables_scroll_within(page, make_user, sign_in, assert_accessible):
    admin = make_user(Role.ADMINISTRATOR, Role.PRACTITIONER, first_name="Adam", last_name="Novak", is_staff=True,
                      is_superuser=True, profile={"organisation": OrganisationFactory(name="Northfield Primary")})
    StrategyFactory(title="Children's Workforce Strategy 2026-29 with a long title")
    ActionFactory()
    BookingFactory(person=admin, session=SessionFactory(course__title="Safeguarding children: level 3"))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, admin)
    scrolling = 0
    for path in PAGES:
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{path} scrolls sideways"
        boxes = page.evaluate("""() => [...document.querySelectorAll('.table-responsive')].map(b => ({
            scrolls: b.scrollWidth > b.clientWidth + 1, focusable: b.tabIndex === 0,
            name: b.getAttribute('aria-label') || ''}))""")
        for box in boxes:
            assert box["focusable"] == box["scrolls"], f"{path}: {box}"
            if box["scrolls"]:
                assert box["name"].endswith("(scrolls sideways)"), f"{path}: {box}"
                scrolling += 1
        assert_accessible(page)
    assert scrolling  # at this width some tables do scroll: the test sees the case it is about


def test_the_register_is_kept_on_a_phone_without_scrolling_sideways(page, make_user, sign_in, assert_accessible):
    """Issue 14: at 375 px the register's Attended / Did not attend buttons were off-screen in a sideways table."""
    import datetime as dt

    from django.utils import timezone

    coordinator = make_user(Role.TRAINING_COORDINATOR, first_name="Chloe", last_name="Bennett")
    session = SessionFactory(course__title="Don't Neglect the Issue", capacity=10,
                             start=timezone.localtime() - dt.timedelta(minutes=30))
    for first in ("Priya", "Tomasz", "Oluwaseun"):
        BookingFactory(session=session, person=make_user(first_name=first, last_name="Attendee-With-A-Long-Name"))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, coordinator)
    page.goto(f"/training/manage/sessions/{session.pk}/register/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "the register scrolls sideways"
    button = page.get_by_role("button", name="Did not attend (Oluwaseun Attendee-With-A-Long-Name)")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 44
    assert_accessible(page)
    button.click()
    assert page.get_by_text("marked did not attend").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_on_a_phone_the_catalogue_shows_courses_first_with_the_filters_behind_one_button(page, practitioner,
                                                                                         sign_in, assert_accessible):
    from tests.training.factories import CourseFactory

    CourseFactory(title="Signs of Safety: foundation", delivery_mode="blended")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, practitioner)
    page.goto("/training/courses/?delivery_mode=blended&q=signs")
    button = page.get_by_text("Filter (2 applied)")
    assert button.is_visible()
    assert not page.get_by_label("Search").is_visible()  # folded away
    assert page.get_by_role("link", name="Signs of Safety: foundation").is_visible()
    assert_accessible(page)
    button.click()
    assert page.get_by_label("Search").is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/training/courses/")
    assert page.get_by_label("Search").is_visible() and not page.get_by_text("Filter", exact=True).is_visible()


def test_my_bookings_and_my_training_read_as_lists_on_a_phone(page, practitioner, sign_in):
    """Below 768 px each booking is a block whose cells are labelled by their columns (WCAG 1.4.10)."""
    BookingFactory(person=practitioner, session=SessionFactory(course__title="Solihull Approach: foundation"))
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, practitioner)
    for path in ("/training/my-bookings/", "/training/my-training/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{path} scrolls sideways"
        assert page.evaluate("[...document.querySelectorAll('.table-responsive')]"
                             ".every(b => b.scrollWidth <= b.clientWidth + 1)"), f"{path}: a table scrolls"
    page.goto("/training/my-bookings/")
    cell = page.locator("table.table-stack td[data-label='Status']").first
    assert cell.is_visible() and cell.evaluate("c => getComputedStyle(c).display") == "block"
