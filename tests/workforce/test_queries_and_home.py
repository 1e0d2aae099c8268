"""Lists stay a fixed number of queries however many people they show; the home pages carry the panel."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    """Queries of a request once the caches are warm (roles, figures, the session's renewal)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/people/staff/", "/people/directory/", "/people/dashboard/",
                                 "/partnership/", "/partnership/organisations/"])  # fmt: skip
def test_pages_do_not_run_a_query_per_person(client, admin_user, make_user, lead, url):
    for _ in range(3):
        make_user(profile={"organisation": OrganisationFactory(), "line_manager": lead})
    client.force_login(admin_user)
    few = _queries(client, url)
    for _ in range(12):
        make_user(profile={"organisation": OrganisationFactory(), "line_manager": lead})
    assert _queries(client, url) == few


def test_the_administrators_home_has_the_workforce_panel(client, admin_user, make_user, council):
    make_user(profile={"organisation": council})
    client.force_login(admin_user)
    page = client.get("/").content.decode()
    assert "The partnership's workforce" in page and "<strong>2</strong> people on the portal" in page
    assert 'href="/people/dashboard/"' in page and 'href="/people/import/"' in page
    assert 'id="coming-dashboard"' not in page


def test_the_board_members_home_links_the_dashboard_but_not_staff_management(client, make_user, council):
    client.force_login(make_user(Role.BOARD_MEMBER, profile={"organisation": council}))
    page = client.get("/").content.decode()
    assert 'href="/people/dashboard/"' in page
    assert 'href="/people/import/"' not in page and 'href="/people/staff/"' not in page
