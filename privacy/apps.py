from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        from core.navigation import navigation_register

        from . import navigation

        navigation_register(*navigation.NAV_ITEMS)
