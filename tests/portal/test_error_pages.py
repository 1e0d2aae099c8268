"""Error pages with DEBUG off (as in production): 400, 403, 404, 500 and a failed CSRF check are pages
in the portal's layout that say what happened in plain words, and show no traceback, no exception text
and nothing of the settings. Each is reached by a view that fails on purpose (tests/portal/error_urls.py)
and by a real way of getting there."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.roles import Role
from tests.portal.error_urls import SECRET_DETAIL

pytestmark = pytest.mark.django_db

LEAKS = ["Traceback", SECRET_DETAIL, settings.SECRET_KEY, "SECRET_KEY", "DATABASES", "site-packages", "File \"",
         str(settings.BASE_DIR), "psycopg", "sqlite3", "RuntimeError", "SuspiciousOperation", "Http404",
         "PermissionDenied", "CSRF cookie", "Referer checking", "DEBUG = True"]


def assert_friendly(response, status: int, heading: str):
    page = response.content.decode()
    assert response.status_code == status
    assert not settings.DEBUG
    assert re.findall(r"<h1[ >]", page) == ["<h1>"], "one <h1> a page"
    assert f"<h1>{heading}</h1>" in page
    # the base layout: skip link, header, main landmark, footer with the privacy notice
    for landmark in ('class="skip-link', '<header class="portal-header">', '<main id="main-content"',
                     "<footer", reverse("portal:privacy")):
        assert landmark in page, landmark
    assert f'href="{reverse("portal:home")}"' in page, "a way back home"
    for leak in LEAKS:
        assert leak not in page, f"the {status} page shows {leak!r}"
    return page


@pytest.fixture
def visitor(make_user):
    """Signed in, and not raising exceptions into the test: the response is what the browser gets."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.PRACTITIONER))
    return client


@pytest.mark.urls("tests.portal.error_urls")
@pytest.mark.parametrize(("path", "status", "heading"), [
    ("/test-errors/400/", 400, "Something was wrong with that request"),
    ("/test-errors/403/", 403, "You cannot do that"),
    ("/test-errors/404/", 404, "Page not found"),
    ("/test-errors/500/", 500, "Sorry, something went wrong"),
    ("/test-errors/database/", 500, "Sorry, something went wrong"),
])  # fmt: skip
def test_a_view_that_fails_gets_the_friendly_page(visitor, path, status, heading):
    page = assert_friendly(visitor.get(path), status, heading)
    if status == 500:  # rendered without the request: no navigation and no account, whoever is signed in
        assert "Sign out" not in page and "My account" not in page


@pytest.mark.urls("tests.portal.error_urls")
def test_the_500_page_is_the_same_for_someone_not_signed_in():
    assert_friendly(Client(raise_request_exception=False).get("/test-errors/500/"), 500, "Sorry, something went wrong")


def test_an_unknown_address_gets_the_friendly_404(visitor):
    assert_friendly(visitor.get("/people/staff/999999999/"), 404, "Page not found")
    assert_friendly(visitor.get("/no-such-page/<script>"), 404, "Page not found")


def test_a_form_sent_without_its_csrf_token_gets_the_friendly_403(make_user, password):
    user = make_user(Role.PRACTITIONER)
    strict = Client(enforce_csrf_checks=True, raise_request_exception=False)
    page = assert_friendly(strict.post(reverse("login"), {"username": user.email, "password": password}), 403,
                           "This form has expired")
    assert "Nothing has been changed" in page
    strict.force_login(user)
    assert_friendly(strict.post(reverse("workforce:account"), {"first_name": "X", "last_name": "Y"}), 403,
                    "This form has expired")
    user.refresh_from_db()
    assert user.first_name != "X"


def test_a_request_with_too_many_fields_gets_the_friendly_400(visitor):
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_friendly(visitor.post(reverse("workforce:account"), fields), 400, "Something was wrong with that request")


def test_a_disallowed_host_gets_the_friendly_400():
    response = Client(raise_request_exception=False).get(reverse("portal:accessibility"), HTTP_HOST="evil.example")
    assert_friendly(response, 400, "Something was wrong with that request")


@pytest.mark.browser
@pytest.mark.urls("tests.portal.error_urls")
@pytest.mark.django_db(transaction=True)
def test_the_error_pages_are_accessible(page, make_user, sign_in, assert_accessible):
    sign_in(page, make_user(Role.PRACTITIONER))
    for path, heading in [("/no-such-page/", "Page not found"), ("/test-errors/403/", "You cannot do that"),
                          ("/test-errors/500/", "Sorry, something went wrong"),
                          ("/test-errors/400/", "Something was wrong with that request")]:  # fmt: skip
        page.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert_accessible(page)
