"""Notifications in the navigation bar."""

from portal.navigation import NavItem
from workforce.permissions import Role

NAV_ITEMS = [
    NavItem("My notifications", "notifications:mine", order=90),
    NavItem("All notifications", "notifications:all", roles=(Role.ADMINISTRATOR,), order=91),
]
