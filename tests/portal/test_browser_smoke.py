"""Sign in as each role in headless Chromium; axe-core finds no violations on the pages visited."""

import pytest

from workforce.permissions import Role

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
