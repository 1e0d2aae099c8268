"""Who may see and do what in training. Lookups 404 what the user may not see."""

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role
from workforce.models import User

from .models import Booking, Completion, Course, Session

Viewer = User | AnonymousUser  # request.user: signed in or not

COORDINATOR_ROLES = (Role.TRAINING_COORDINATOR,)


def is_coordinator(user: Viewer) -> bool:
    """Training coordinators (and administrators, who hold every permission)."""
    return has_role(user, *COORDINATOR_ROLES)


def get_own_booking_for(user: Viewer, pk: int) -> Booking:
    """A booking of the user's own."""
    return get_object_or_404(Booking.objects.select_related("session__course"), pk=pk, person=user)


def can_manage_team_training(user: Viewer) -> bool:
    """Line managers, and anyone recorded as someone's line manager: the approval email goes to the person named
    on the profile, so its link must work for them even without the Line manager role."""
    from django.contrib.auth.models import AnonymousUser

    from workforce.selectors import team_of

    if isinstance(user, AnonymousUser):
        return False
    return has_role(user, Role.LINE_MANAGER) or team_of(manager=user).exists()


def get_booking_for_manager(user: Viewer, pk: int) -> Booking:
    """A booking of someone the user line-manages."""
    return get_object_or_404(
        Booking.objects.select_related("session__course", "person__profile"),
        pk=pk,
        person__profile__line_manager=user,
    )


# --- register, certificates, evaluations, compliance ---------------------------------------------------


def can_keep_register(user: Viewer, session: Session) -> bool:
    """Training coordinators keep every session's register; a session's trainers keep theirs."""
    return is_coordinator(user) or session.trainers.filter(pk=user.pk).exists()


def get_session_register_for(user: Viewer, pk: int) -> Session:
    """A session whose register the user keeps, else a 404."""
    session = get_object_or_404(Session.objects.select_related("course", "event"), pk=pk)
    if not can_keep_register(user, session):
        raise Http404
    return session


def get_course_records_for(user: Viewer, pk: int) -> Course:
    """A course whose bookings history and evaluations the user may read (coordinators), else a 404."""
    if not is_coordinator(user):
        raise Http404
    return get_object_or_404(Course, pk=pk)


def get_completion_for(user: Viewer, pk: int) -> Completion:
    """A completion (its certificate) of the user's own; coordinators any; trainers those of their sessions."""
    completion = get_object_or_404(
        Completion.objects.select_related("person", "course__provider", "booking__session"), pk=pk
    )
    if completion.person_id == user.pk or is_coordinator(user):
        return completion
    if completion.booking is not None and completion.booking.session.trainers.filter(pk=user.pk).exists():
        return completion
    raise Http404


def get_attended_booking_for(user: Viewer, pk: int) -> Booking:
    """One of the user's own bookings they may give feedback on (attended), else a 404."""
    return get_object_or_404(
        Booking.objects.select_related("session__course").prefetch_related("session__dates"),
        pk=pk, person=user, status=Booking.Status.ATTENDED,
    )


def can_see_team_compliance(user: Viewer) -> bool:
    return has_role(user, Role.LINE_MANAGER)


def can_see_organisation_compliance(user: Viewer) -> bool:
    from workforce.permissions import is_organisation_lead

    return is_organisation_lead(user)


def can_see_all_compliance(user: Viewer) -> bool:
    """Training coordinators act on the partnership's gaps (they run the sessions); administrators see all."""
    return has_role(user, Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR)
