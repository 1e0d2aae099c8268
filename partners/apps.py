from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """What the apps above gather from this one (docs/architecture.md#registries)."""
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register
        from core.personal_data import AuditedHistory, PersonalData, personal_data_register

        from . import demo, navigation, selectors, services
        from .models import GovernanceMembership

        navigation_register(*navigation.NAV_ITEMS)
        personal_data_register(PersonalData(
            app=self.label, title="Partnership",
            export=selectors.personal_data_of, anonymise=services.personal_data_anonymise,
            audited=(AuditedHistory("governance_membership", "Governance membership", GovernanceMembership,
                                    "user_id"),),
        ))  # fmt: skip
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed))
