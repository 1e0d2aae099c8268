from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.navigation import NavItem, navigation_register
        from core.roles import Role

        navigation_register(NavItem("Portal name, colour and logo", "portal:branding", roles=(Role.ADMINISTRATOR,),
                                    order=47))
