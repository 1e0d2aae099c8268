"""Notifications in the navigation bar (registered in NotificationsConfig.ready())."""

from core.navigation import NavItem
from core.roles import Role

NAV_ITEMS = [
    NavItem("My notifications", "notifications:mine", order=90),
    NavItem("All notifications", "notifications:all", roles=(Role.ADMINISTRATOR,), order=91),
]
