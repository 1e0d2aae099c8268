"""The action plan's entries in the navigation bar (registered in ActionsConfig.ready())."""

from core.navigation import NavItem
from core.roles import Role

NAV_ITEMS = [
    NavItem("Action plan", "actions:overview", order=40),
    NavItem(
        "My actions",
        "actions:my_actions",
        roles=(Role.PRACTITIONER, Role.LINE_MANAGER, Role.TRAINING_COORDINATOR, Role.STRATEGY_GROUP_MEMBER),
        order=41,
    ),
    # The Board's own reason to visit, so it sits on the bar rather than under "Manage".
    NavItem(
        "Board reports",
        "actions:report_archive",
        roles=(Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER),
        order=42,
        section="main",
    ),
]
