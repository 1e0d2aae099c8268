"""training's entries in the navigation bar (registered in TrainingConfig.ready())."""

from core.navigation import NavItem
from core.roles import Role

NAV_ITEMS = [
    NavItem("Courses", "training:catalogue", order=20),
    NavItem("My bookings", "training:my_bookings", order=21),
    NavItem("Approvals", "training:approvals", roles=(Role.LINE_MANAGER,), order=25),
    NavItem("Manage training", "training:manage_home", roles=(Role.TRAINING_COORDINATOR,), order=30),
    # --- register, certificates, evaluations, compliance ---
    NavItem("My training", "training:my_training", order=22),
    NavItem("Team compliance", "training:compliance_team", roles=(Role.LINE_MANAGER,), order=26),
    NavItem("Partnership compliance", "training:compliance_all", roles=(Role.TRAINING_COORDINATOR,), order=31),
]
