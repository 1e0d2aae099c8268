"""Who sees which notifications: a person their own; an administrator all."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from core.roles import Role, has_role
from workforce.permissions import Viewer

from .models import Notification


def can_see_all(user: Viewer) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def get_notification_for(user: Viewer, pk: int) -> Notification:
    qs = Notification.objects.select_related("recipient")
    if not can_see_all(user):
        if isinstance(user, AnonymousUser):  # receives none
            raise Http404
        qs = qs.filter(recipient=user)
    notification = qs.filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification
