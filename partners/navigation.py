"""The partnership's entry in the navigation bar (registered in PartnersConfig.ready())."""

from core.navigation import NavItem

NAV_ITEMS = [
    NavItem("Partnership", "partners:partnership", order=10),
]
