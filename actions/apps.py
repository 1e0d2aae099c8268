from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Receivers, and what the apps above gather from this one (docs/architecture.md#registries)."""
        from core.caching import caches_register
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register
        from core.personal_data import PersonalData, personal_data_register

        from . import demo, navigation, receivers, selectors, services

        receivers.connect()
        caches_register(app=self.label, stale=receivers.filters_stale)
        navigation_register(*navigation.NAV_ITEMS)
        personal_data_register(PersonalData(
            app=self.label, title="Action plan",
            export=selectors.personal_data_of, anonymise=services.personal_data_anonymise,
        ))  # fmt: skip
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed))
