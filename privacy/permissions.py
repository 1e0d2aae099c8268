"""Data protection is for administrators only: everyone else gets a 404 for every page here."""

from django.shortcuts import get_object_or_404

from core.roles import Role, role_required
from workforce.models import User

administrators_only = role_required(Role.ADMINISTRATOR)


def get_person_for_privacy(pk: int) -> User:
    """Any account (leavers and anonymised ones too): the views are administrators-only already."""
    return get_object_or_404(User.objects.select_related("profile__organisation"), pk=pk)
