"""workforce's entries in the navigation bar (registered in WorkforceConfig.ready())."""

from core.navigation import MINE, NavItem, RuleNavItem
from core.roles import Role

from .permissions import can_see_staff_list, can_see_workforce_dashboard

NAV_ITEMS = [
    NavItem("Directory", "workforce:directory", order=20),
    RuleNavItem("Staff", "workforce:staff", order=30, rule=can_see_staff_list),
    RuleNavItem("Workforce dashboard", "workforce:dashboard", order=40, rule=can_see_workforce_dashboard),
    NavItem("People and roles", "workforce:accounts_admin", roles=(Role.ADMINISTRATOR,), order=45),
    NavItem("Sign-in pauses", "workforce:sign_in_pauses", roles=(Role.ADMINISTRATOR,), order=46),
    NavItem("My profile", "workforce:my_profile", order=98, section=MINE),
    NavItem("My account", "workforce:account", order=99, section=MINE),
]
