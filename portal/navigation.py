"""The navigation bar, gathered from each app's `navigation.py` so an app adds its own pages.

An entry is shown to a user who holds any of its roles (an empty tuple: anyone signed in).

The bar has three parts, so it stays on one line whatever a person's roles (docs/architecture.md):
- `main`: pages about the partnership everyone uses (Partnership, Directory, Courses, Action plan);
- `manage`: pages for a role's work on other people's records (Approvals, Staff, Manage training, …),
  in a "Manage" menu — or on the bar itself when there is only one of them;
- `mine`: the person's own pages (My bookings, My training, …), in a menu under their name.
An entry may name its section; otherwise "My …" entries are `mine`, entries limited to roles or to a rule
are `manage`, and the rest are `main`.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.urls import NoReverseMatch, reverse

from workforce.permissions import Role, has_role

MAIN, MANAGE, MINE = "main", "manage", "mine"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[Role, ...] = field(default=())
    order: int = 100
    section: str = ""

    def visible_to(self, user) -> bool:
        return not self.roles or has_role(user, *self.roles)

    @property
    def section_name(self) -> str:
        if self.section:
            return self.section
        if self.label.startswith("My "):
            return MINE
        if self.roles or getattr(self, "rule", None):
            return MANAGE
        return MAIN


APPS_WITH_NAVIGATION = ["partners", "workforce", "training", "actions", "notifications", "privacy"]


def nav_items_for(user) -> list[dict]:
    """The entries the user may see, in order: {"label", "url", "section"}."""
    items: list[NavItem] = []
    for app in APPS_WITH_NAVIGATION:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", []))
    visible = []
    for item in sorted(items, key=lambda i: i.order):
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        visible.append({"label": item.label, "url": url, "section": item.section_name})
    if user.is_staff:
        visible.append({"label": "Django admin", "url": reverse("admin:index"), "section": MANAGE})
    return visible


def navigation_for(user, path: str) -> dict:
    """The bar's sections for this user on this page. The current page is the entry whose address is the
    longest prefix of the path (so /plan/my-actions/ is "My actions", not also "Action plan" at /plan/)."""
    items = nav_items_for(user)
    matches = [item for item in items if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))]
    current = max(matches, key=lambda item: len(item["url"]), default=None)
    sections = {MAIN: [], MANAGE: [], MINE: []}
    for item in items:
        item["current"] = item is current
        sections[item["section"]].append(item)
    return {
        "nav_main": sections[MAIN],
        "nav_manage": sections[MANAGE],
        "nav_manage_current": any(item["current"] for item in sections[MANAGE]),
        "nav_mine": sections[MINE],
        "nav_mine_current": any(item["current"] for item in sections[MINE]),
    }
