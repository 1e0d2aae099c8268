"""Shared fixtures: people in each role, a real Celery worker, headless Chromium with axe-core."""

import os
import shutil

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from core.roles import Role
from tests.workforce.factories import PASSWORD, StaffProfileFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with
# a running loop unless told it is safe. Tests drive the browser and the database one after the other.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Hypothesis (the bad-input tests, tests/portal/test_bad_input.py and test_bad_uploads.py). Each example is a
# request against the database, so the counts are modest: "ci" is the same examples on every run (a red
# build is never luck), "dev" is random and quick, "thorough" is for an afternoon of hunting.
# Choose with HYPOTHESIS_PROFILE; CI uses "ci".
_hypothesis_common = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
hypothesis_settings.register_profile("ci", max_examples=10, derandomize=True, database=None, **_hypothesis_common)
hypothesis_settings.register_profile("dev", max_examples=8, **_hypothesis_common)
hypothesis_settings.register_profile("thorough", max_examples=300, **_hypothesis_common)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with nothing cached: a cache left by another test's (rolled back) data would lie."""
    from django.conf import settings
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX")
    if prefix and hasattr(cache, "_cache"):  # Redis, shared with the broker: only the test keys
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


def missing(component: str, how: str):
    """Outside CI a missing component skips its tests with the reason; in CI it fails them."""
    message = f"{component} is not available: {how}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def make_user(db):
    """make_user(Role.LINE_MANAGER, email=...) -> a user holding those roles, with a staff profile."""

    def make(*roles: Role, **kwargs):
        profile_kwargs = kwargs.pop("profile", {})
        user = UserFactory(roles=list(roles) or [Role.PRACTITIONER], **kwargs)
        StaffProfileFactory(user=user, **profile_kwargs)
        return user

    return make


@pytest.fixture
def practitioner(make_user):
    return make_user(Role.PRACTITIONER)


# --- Celery -----------------------------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in a thread, consuming from the configured broker (Redis in CI, the
    filesystem broker otherwise). Tasks stop running inline while it is up."""
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from config.celery import app

    if IN_CI and not settings.REDIS_URL:
        pytest.fail("CI must run the worker tests against Redis: REDIS_URL is not set", pytrace=False)
    from tests.waiting import tasks

    app.conf.task_always_eager = False
    app.control.purge()
    tasks.clear()  # what earlier tests queued and never ran is gone with the purge
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
        yield worker
    app.conf.task_always_eager = True


# --- Browser ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is None:
        missing("Chromium", f"no executable at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None)
    pg.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield pg
    context.close()
    assert not problems, "The browser reported CSP violations or script errors:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """assert_accessible(page): axe-core finds no violations on the page as it is now."""

    def check(pg):
        pg.wait_for_load_state()  # the page a click has just opened, not the one it left
        results = axe.run(pg)
        assert results.violations_count == 0, f"axe-core on {pg.url}:\n{results.generate_report()}"

    return check


@pytest.fixture
def nav_to():
    """nav_to(page, "Staff"): follow a link of the main navigation as a person would, opening the menu
    ("Manage" or the one under their name) that holds it first."""

    def go(pg, label: str):
        nav = pg.get_by_role("navigation", name="Main")
        link = nav.get_by_role("link", name=label, exact=True)
        if not link.is_visible():
            hidden = pg.get_by_role("link", name=label, exact=True, include_hidden=True)
            nav.locator(".dropdown").filter(has=hidden).locator(".dropdown-toggle").click()
        link.click()
        pg.wait_for_load_state()

    return go


@pytest.fixture
def sign_in(password):
    """sign_in(page, user): through the real sign-in form."""

    def do(pg, user, pw: str | None = None):
        pg.goto("/accounts/sign-in/")
        pg.get_by_label("Email address").fill(user.email)
        pg.get_by_label("Password").fill(pw or password)
        pg.get_by_role("button", name="Sign in").click()
        pg.wait_for_load_state()

    return do
