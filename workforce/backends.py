"""ModelBackend loading the person's staff profile, organisation and sector in the one query the
authentication middleware makes anyway: nearly every page needs them (docs/workforce.md)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile__organisation__sector")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
