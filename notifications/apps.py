from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Receivers, and what the apps above gather from this one (docs/architecture.md#registries)."""
        from core.demo_data import DemoLoader, demo_data_register
        from core.navigation import navigation_register
        from core.personal_data import AuditedHistory, PersonalData, personal_data_register

        from . import demo, navigation, receivers, selectors, services  # noqa: F401 - receivers connect on import
        from .models import NotificationPreference

        navigation_register(*navigation.NAV_ITEMS)
        personal_data_register(PersonalData(
            app=self.label, title="Notifications",
            export=selectors.personal_data_of, anonymise=services.personal_data_anonymise,
            audited=(AuditedHistory("notification_preference", "Notification choice", NotificationPreference,
                                    "person_id"),),
            # privacy's retention kind "notifications": the notifications sent before the cut-off go.
            retention={"notifications": lambda before: services.notifications_delete(created_before=before)},
        ))  # fmt: skip
        # Today's reminders, recorded over everything seed_demo loaded (a grown partnership too).
        demo_data_register(DemoLoader(app=self.label, seed=demo.seed, last=True))
