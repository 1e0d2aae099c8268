"""The navigation bar, gathered from each app's `navigation.py` so an app adds its own pages.

An entry is shown to a user who holds any of its roles (an empty tuple: anyone signed in).
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.urls import NoReverseMatch, reverse

from workforce.permissions import Role, has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[Role, ...] = field(default=())
    order: int = 100

    def visible_to(self, user) -> bool:
        return not self.roles or has_role(user, *self.roles)


APPS_WITH_NAVIGATION = ["partners", "workforce", "training", "actions", "notifications", "privacy"]


def nav_items_for(user) -> list[dict]:
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
        visible.append({"label": item.label, "url": url})
    return visible
