from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Receivers, and what the apps above gather from this one (docs/architecture.md#registries)."""
        from core.caching import caches_register
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register
        from core.personal_data import AuditedHistory, PersonalData, personal_data_register
        from core.roles import led_organisation_register

        from . import demo, navigation, receivers, selectors, services
        from .models import DesignatedRole, StaffProfile, User
        from .permissions import led_organisation_id

        receivers.connect()
        led_organisation_register(led_organisation_id)
        caches_register(app=self.label, stale=receivers.workforce_cache_stale)
        navigation_register(*navigation.NAV_ITEMS)
        personal_data_register(PersonalData(
            app=self.label, title="Workforce", accounts=True,
            export=selectors.personal_data_of, anonymise=services.personal_data_anonymise,
            audited=(
                AuditedHistory("account", "Account", User, "id"),
                AuditedHistory("staff_profile", "Staff profile", StaffProfile, "user_id"),
                AuditedHistory("designated_role", "Designated role", DesignatedRole, "person_id"),
            ),
        ))  # fmt: skip
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed))
