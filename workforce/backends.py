"""The authentication backend: Django's ModelBackend, loading the signed-in person's staff profile with them.

Nearly every page asks for the profile (the navigation's object rules, the band, the organisation), so the
user, their profile, organisation and sector come in the one query the authentication middleware makes anyway,
instead of one each."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("profile__organisation__sector")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
