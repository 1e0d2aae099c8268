"""Sign in as each role in headless Chromium; axe-core finds no violations on the pages visited."""

import re

import pytest
from playwright.sync_api import expect

from core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_accessible_and_bad_sign_in_is_explained(page, make_user, assert_accessible):
    make_user(Role.PRACTITIONER, email="pat@example.org")
    page.goto("/")
    assert "/accounts/sign-in/" in page.url
    assert_accessible(page)
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator("#error-summary")
    assert "The email address or password is not right" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_to_an_accessible_home(page, make_user, sign_in, assert_accessible, role):
    user = make_user(role, first_name="Robin")
    sign_in(page, user)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Robin"
    assert f"Signed in as: {role.value}" in page.locator("main").inner_text(), page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="My account", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    assert "Sign in" in page.get_by_role("heading", level=1).inner_text() or "signed out" in page.content()


def test_the_navigation_stays_on_one_line_and_its_menus_work_from_the_keyboard(page, make_user, sign_in,
                                                                               assert_accessible):  # fmt: skip
    """The administrator has the most entries. At 1280 pixels every entry of the bar sits on one row; the
    menus open with Enter, move with the arrow keys, close with Escape, and pass axe while open."""
    admin = make_user(Role.ADMINISTRATOR, first_name="Alexandra", last_name="Montgomery")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, admin)
    nav = page.get_by_role("navigation", name="Main")
    tops = {round(box["y"]) for box in (item.bounding_box() for item in nav.locator(".navbar-nav > .nav-item").all())}
    assert len(tops) == 1, f"the bar wraps onto {len(tops)} rows"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    manage = nav.get_by_role("button", name="Manage")
    manage.focus()
    page.keyboard.press("Enter")
    assert manage.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Approvals"
    assert_accessible(page)
    page.keyboard.press("Escape")
    assert manage.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "nav-manage"

    mine = nav.get_by_role("button", name=re.compile(r"^Alexandra Montgomery\W+your pages and account$"))
    mine.focus()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("ArrowDown")
        if page.evaluate("document.activeElement.textContent") == "My account":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "My account"
    assert "active" in mine.get_attribute("class").split()  # the menu that holds the page you are on
    assert_accessible(page)


def test_the_lockout_page_is_accessible_and_says_how_long(page, make_user, settings, assert_accessible):
    """axe found the "reset your password" link on the warning alert at 4.06:1 (AA needs 4.5:1)."""
    settings.AXES_ENABLED = True
    user = make_user(Role.PRACTITIONER, email="pat@example.org")
    page.goto("/accounts/sign-in/")
    for _ in range(5):
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Signing in is paused"
    assert "paused for 15 minutes" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="reset your password").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_signing_out_from_the_sign_out_address_and_the_admin_sign_in_page(page, make_user, sign_in,
                                                                          assert_accessible):  # fmt: skip
    sign_in(page, make_user(Role.PRACTITIONER))
    page.goto("/accounts/sign-out/")  # typed or bookmarked: a page with the button, not an empty 405
    assert page.get_by_role("heading", level=1).inner_text() == "Sign out"
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Sign out").click()
    assert "You have signed out." in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert_accessible(page)
    page.goto("/admin/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the administration"
    assert_accessible(page)


def test_the_periodic_task_admin_form_runs_under_the_content_security_policy(page, make_user, sign_in):
    """django-celery-beat's form ran an inline script the policy blocked; the page fixture fails on any CSP
    report or script error. Choosing a crontab shows what it means, as the package intends."""
    from django_celery_beat.models import CrontabSchedule

    CrontabSchedule.objects.create(minute="30", hour="2", timezone="Europe/London")
    sign_in(page, make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    page.goto("/admin/django_celery_beat/periodictask/add/")
    crontab = page.locator("#id_crontab")
    crontab.select_option(index=1)
    crontab.dispatch_event("change")
    assert "Translation:" in page.locator(".field-crontab .help").inner_text()
