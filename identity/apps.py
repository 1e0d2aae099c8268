from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "identity"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """What the apps above gather from this one (docs/architecture.md#registries)."""
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register

        from . import demo, navigation

        navigation_register(*navigation.NAV_ITEMS)
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed, last=True))
