from collections.abc import Callable
from dataclasses import dataclass

from portal.navigation import MINE, NavItem

from .permissions import can_see_staff_list, can_see_workforce_dashboard


@dataclass(frozen=True)
class RuleNavItem(NavItem):
    """An entry shown by an object rule (e.g. "leads an organisation") rather than by role."""

    rule: Callable | None = None

    def visible_to(self, user) -> bool:
        return self.rule(user) if self.rule else super().visible_to(user)


NAV_ITEMS = [
    NavItem("Directory", "workforce:directory", order=20),
    RuleNavItem("Staff", "workforce:staff", order=30, rule=can_see_staff_list),
    RuleNavItem("Workforce dashboard", "workforce:dashboard", order=40, rule=can_see_workforce_dashboard),
    NavItem("My profile", "workforce:my_profile", order=98, section=MINE),
    NavItem("My account", "workforce:account", order=99, section=MINE),
]
