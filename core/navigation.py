"""The navigation bar's entries, registered by each app from its AppConfig.ready(); portal draws the bar in
three sections, `main`, `manage` and `mine` (docs/portal.md#navigation)."""

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
