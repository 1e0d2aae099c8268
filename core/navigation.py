"""The navigation bar's entries: each app registers its own from its AppConfig.ready(); portal draws the bar.

An entry is shown to a user who holds any of its roles (an empty tuple: anyone signed in), or, for a
`RuleNavItem`, to whoever its rule admits. The bar has three sections (docs/portal.md#navigation): `main`,
`manage` (a role's work on other people's records) and `mine` (the person's own pages). An entry may name its
section; otherwise "My …" entries are `mine`, entries limited to roles or to a rule `manage`, the rest `main`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .roles import Person, Role, has_role

MAIN, MANAGE, MINE = "main", "manage", "mine"


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[Role, ...] = field(default=())
    order: int = 100
    section: str = ""

    def visible_to(self, user: Person) -> bool:
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


@dataclass(frozen=True)
class RuleNavItem(NavItem):
    """An entry shown by an object rule (e.g. "leads an organisation") rather than by role."""

    rule: Callable[[Any], bool] | None = None

    def visible_to(self, user: Person) -> bool:
        return self.rule(user) if self.rule else super().visible_to(user)


_registered: dict[str, NavItem] = {}  # by url_name, in the order apps registered them (INSTALLED_APPS order)


def navigation_register(*items: NavItem) -> None:
    """Add an app's entries to the bar (from its AppConfig.ready(); registering one again replaces it)."""
    for item in items:
        _registered[item.url_name] = item


def navigation_items() -> list[NavItem]:
    """Every registered entry by `order`; entries of the same order in the order their apps were installed."""
    return sorted(_registered.values(), key=lambda item: item.order)
