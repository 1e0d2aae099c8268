"""Data protection in the navigation bar (administrators only)."""

from portal.navigation import NavItem
from workforce.permissions import Role

NAV_ITEMS = [NavItem("Data protection", "privacy:index", roles=(Role.ADMINISTRATOR,), order=95)]
