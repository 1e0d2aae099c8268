from core.navigation import MINE, NavItem

NAV_ITEMS = [NavItem("API tokens", "identity:tokens", order=95, section=MINE)]
