from portal.navigation import NavItem

NAV_ITEMS = [
    NavItem("Partnership", "partners:partnership", order=10),
]
