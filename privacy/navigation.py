"""Data protection in the navigation bar (administrators only; registered in PrivacyConfig.ready())."""

from core.navigation import NavItem
from core.roles import Role

NAV_ITEMS = [NavItem("Data protection", "privacy:index", roles=(Role.ADMINISTRATOR,), order=95)]
