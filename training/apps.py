from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Receivers, and what the apps above gather from this one (docs/architecture.md#registries)."""
        from core.caching import caches_register
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register
        from core.personal_data import AuditedHistory, PersonalData, personal_data_register

        from . import demo, navigation, receivers, selectors, services
        from .models import Completion

        receivers.connect()
        caches_register(app=self.label, stale=receivers.standard_stale)
        navigation_register(*navigation.NAV_ITEMS)
        personal_data_register(PersonalData(
            app=self.label, title="Training",
            export=selectors.personal_data_of, anonymise=services.personal_data_anonymise,
            audited=(AuditedHistory("completion", "Completed training", Completion, "person_id"),),
        ))  # fmt: skip
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed))
