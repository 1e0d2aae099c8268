"""The API's reads: the apps' own selectors, narrowed to what the calling person (and token) may see."""

from django.db.models import QuerySet
from django.utils import timezone

from actions.models import Action
from actions.selectors import actions_for
from identity.models import ApiToken
from training.models import Booking, Completion, Course, Session
from training.permissions import is_coordinator
from training.selectors import courses_catalogue, sessions_upcoming, sessions_with_places
from workforce.models import User
from workforce.permissions import can_see_staff_list
from workforce.selectors import people_visible_to


def api_courses(*, user: User) -> QuerySet[Course]:
    return courses_catalogue(user=user)


def api_sessions(*, user: User) -> QuerySet[Session]:
    """Upcoming scheduled sessions with places_taken; no dates prefetched (starts_at/ends_at say enough)."""
    return sessions_with_places(sessions_upcoming()).prefetch_related(None).order_by("starts_at", "pk")


def api_bookings(*, user: User) -> QuerySet[Booking]:
    live = Booking.LIVE_STATUSES
    return (Booking.objects.filter(person=user, status__in=live, session__starts_at__gt=timezone.now())
            .select_related("person").order_by("session__starts_at", "pk"))


def api_people(*, user: User, token: ApiToken | None) -> QuerySet[User]:
    """Who the staff list shows the person; a service token: only its organisation's people."""
    if not can_see_staff_list(user):
        return User.objects.none()
    people = people_visible_to(user=user).select_related("profile__organisation")
    if token is not None and token.organisation_id is not None:
        people = people.filter(profile__organisation_id=token.organisation_id)
    return people


def api_completions(*, user: User, token: ApiToken | None) -> QuerySet[Completion]:
    """A person's own; training coordinators every person's (a service token: its organisation's)."""
    qs = Completion.objects.select_related("person", "course").order_by("-completed_on", "-pk")
    if not is_coordinator(user):
        return qs.filter(person=user)
    if token is not None and token.organisation_id is not None:
        qs = qs.filter(person__profile__organisation_id=token.organisation_id)
    return qs


def api_actions(*, user: User) -> QuerySet[Action]:
    return actions_for(user=user).order_by("sort_key", "pk")


def api_completion_people(*, user: User, token: ApiToken | None) -> QuerySet[User]:
    """Whom a coordinator's token records completions for: anyone active; a service token its organisation."""
    people = User.objects.filter(is_active=True)
    if token is not None and token.organisation_id is not None:
        people = people.filter(profile__organisation_id=token.organisation_id)
    return people
