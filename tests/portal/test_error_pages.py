"""Error pages a person may meet: friendly, with one heading and a way home, never a traceback."""

import pytest
from django.test import Client

from workforce.permissions import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.error_urls")]


def test_a_server_error_is_a_friendly_500_that_leaks_nothing(make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PRACTITIONER))
    response = client.get("/test-boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Sorry, something went wrong</h1>" in page
    assert page.count("<h1") == 1 and 'lang="en-GB"' in page and "<main" in page
    assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page


def test_a_forbidden_action_is_a_friendly_403(client, make_user):
    client.force_login(make_user(Role.PRACTITIONER))
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    assert "<h1>You cannot do that</h1>" in response.content.decode()


def test_an_expired_form_is_explained_and_says_nothing_was_saved(make_user, password):
    """A sign-in form posted without its CSRF token (e.g. left open while signing out in another tab)."""
    user = make_user(Role.PRACTITIONER)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": user.email, "password": password})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>The form had expired</h1>" in page and "Nothing was saved." in page
    assert "CSRF verification failed" not in page
    assert "_auth_user_id" not in client.session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_error_pages_are_accessible(page, make_user, sign_in, assert_accessible):
    sign_in(page, make_user(Role.PRACTITIONER))
    for path, heading in [("/no-such-page/", "Page not found"), ("/test-forbidden/", "You cannot do that"),
                          ("/test-boom/", "Sorry, something went wrong")]:  # fmt: skip
        page.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
