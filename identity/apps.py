from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """What the apps above gather from this one (docs/architecture.md#registries)."""
        from core.navigation import navigation_register

        from . import navigation

        navigation_register(*navigation.NAV_ITEMS)
