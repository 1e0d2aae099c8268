"""Who may see and do what in training. Lookups 404 what the user may not see."""

from django.shortcuts import get_object_or_404

from workforce.permissions import Role, has_role

from .models import Booking

COORDINATOR_ROLES = (Role.TRAINING_COORDINATOR,)


def is_coordinator(user) -> bool:
    """Training coordinators (and administrators, who hold every permission)."""
    return has_role(user, *COORDINATOR_ROLES)


def get_own_booking_for(user, pk: int) -> Booking:
    """A booking of the user's own."""
    return get_object_or_404(Booking.objects.select_related("session__course"), pk=pk, person=user)


def get_booking_for_manager(user, pk: int) -> Booking:
    """A booking of someone the user line-manages."""
    return get_object_or_404(
        Booking.objects.select_related("session__course", "person__profile"),
        pk=pk,
        person__profile__line_manager=user,
    )
