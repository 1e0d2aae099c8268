from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        receivers.connect()
