"""The navigation bar by role: the partnership's pages on the bar, work on other people's records under
"Manage" (on the bar when there is only one such page), a person's own pages under their name."""

import re

import pytest
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db


def _nav(client, path="/"):
    html = client.get(path).content.decode()
    nav = html[html.index('<nav class="navbar'): html.index("</nav>")]
    bar = nav[: nav.index('class="navbar-nav"', nav.index('class="navbar-nav me-auto"') + 1)]

    def links(fragment):
        return re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*"[^>]*>([^<]+)</a>', fragment)

    manage = re.search(r'id="nav-manage".*?</ul>', nav, re.S)
    mine = re.search(r'id="nav-mine".*?</ul>', nav, re.S)
    on_bar = links(re.sub(r'<li class="nav-item dropdown">.*?</ul>\s*</li>', "", bar, flags=re.S))
    return {
        "bar": on_bar,
        "manage": links(manage.group(0)) if manage else [],
        "mine": links(mine.group(0)) if mine else [],
        "current": re.findall(r'aria-current="page" href="([^"]+)"', nav),
    }


def test_a_practitioner_has_the_partnership_on_the_bar_and_their_own_pages_under_their_name(client, make_user):
    client.force_login(make_user(Role.PRACTITIONER, first_name="Priya", last_name="Shah"))
    nav = _nav(client)
    assert nav["bar"] == ["Home", "Partnership", "Directory", "Courses", "Action plan"]
    assert nav["manage"] == []
    assert nav["mine"] == ["My bookings", "My training", "My actions", "My notifications", "API tokens",
                           "My profile", "My account"]
    menu = 'id="nav-mine" data-bs-toggle="dropdown" aria-expanded="false">Priya Shah<span class="visually-hidden">'
    assert menu in client.get("/").content.decode()


def test_an_administrator_finds_the_work_on_others_records_under_manage(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    nav = _nav(client)
    # Board reports are on the bar (the Board's reason to visit, and everyone who may read them finds them there).
    assert nav["bar"] == ["Home", "Partnership", "Directory", "Courses", "Action plan", "Board reports"]
    assert nav["manage"] == ["Approvals", "Team compliance", "Staff", "Manage training", "Partnership compliance",
                             "Workforce dashboard",
                             "People and roles", "Sign-in pauses", "Portal name, colour and logo",
                             "All notifications", "Data protection", "Django admin"]  # fmt: skip


def test_a_single_page_of_work_sits_on_the_bar_rather_than_in_a_menu_of_one(client, make_user):
    client.force_login(make_user(Role.BOARD_MEMBER))
    nav = _nav(client)
    assert nav["bar"][-1] == "Workforce dashboard"
    assert nav["manage"] == []


def test_only_the_page_you_are_on_is_marked_current(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    # /plan/my-actions/ is under /plan/ (Action plan), and /notifications/all/ under /notifications/.
    assert _nav(client, reverse("actions:my_actions"))["current"] == [reverse("actions:my_actions")]
    assert _nav(client, reverse("actions:overview"))["current"] == [reverse("actions:overview")]
    assert _nav(client, reverse("notifications:all"))["current"] == [reverse("notifications:all")]
    assert _nav(client, reverse("workforce:account"))["current"] == [reverse("workforce:account")]
