"""Roles (Django groups made by workforce's data migration) and the checks on them. Object rules about
people are workforce's, reached through a hook; what a user may not see is a 404 (docs/core.md)."""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, Protocol

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from .caching import cached_in


class Role(StrEnum):
    PRACTITIONER = "Practitioner"
    LINE_MANAGER = "Line manager"
    TRAINING_COORDINATOR = "Training coordinator"
    STRATEGY_GROUP_MEMBER = "Strategy group member"
    BOARD_MEMBER = "Board member"
    ADMINISTRATOR = "Administrator"

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")


# When a person holds several roles, the home page they land on is that of the first role they hold here.
HOME_PRECEDENCE = [
    Role.ADMINISTRATOR,
    Role.BOARD_MEMBER,
    Role.STRATEGY_GROUP_MEMBER,
    Role.TRAINING_COORDINATOR,
    Role.LINE_MANAGER,
    Role.PRACTITIONER,
]


class Person(Protocol):
    """What the role checks read of a user: workforce's User or Django's AnonymousUser (core cannot import
    workforce, which sits above it)."""

    @property
    def pk(self) -> Any: ...
    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_superuser(self) -> bool: ...
    @property
    def groups(self) -> Any: ...


View = Callable[..., HttpResponse]


ROLES_NAMESPACE = "workforce:roles"  # made stale by workforce.receivers when anyone's groups change


def roles_key(user_pk: int) -> str:
    return f"workforce:roles:{user_pk}"


def roles_of(user: Person) -> set[Role]:
    """The roles a user holds: kept on the user object for the request, and their groups in the cache."""
    if not getattr(user, "is_authenticated", False):
        return set()
    held: set[Role] | None = getattr(user, "_roles_cache", None)
    if held is None:
        names = cached_in(ROLES_NAMESPACE, roles_key(user.pk),
                          lambda: frozenset(user.groups.values_list("name", flat=True)))
        held = {role for role in Role if role.value in names}
        if user.is_superuser:
            held.add(Role.ADMINISTRATOR)
        setattr(user, "_roles_cache", held)  # noqa: B010 (a Protocol declares no such attribute)
    return held


def has_role(user: Person, *roles: Role) -> bool:
    """True when the user holds any of the given roles. Administrators hold every permission."""
    held = roles_of(user)
    return Role.ADMINISTRATOR in held or any(role in held for role in roles)


def primary_role(user: Person) -> Role:
    held = roles_of(user)
    for role in HOME_PRECEDENCE:
        if role in held:
            return role
    return Role.PRACTITIONER


def role_required(*roles: Role) -> Callable[[View], View]:
    """View decorator: signed-in users without one of the roles get a 404 (we do not hint at what exists)."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(request.user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# --- The organisation a user leads: workforce's rule, asked for by apps below it (partners) ---------------

def _no_organisation(user: Person) -> int | None:
    return None


_led_organisation: Callable[[Person], int | None] = _no_organisation  # until workforce registers its rule


def led_organisation_register(rule: Callable[[Any], int | None]) -> None:
    """Workforce's AppConfig.ready() gives the rule: the id of the organisation a user leads, or None."""
    global _led_organisation
    _led_organisation = rule


def led_organisation_id(user: Person) -> int | None:
    """The id of the organisation the user leads, or None (workforce decides: StaffProfile.is_organisation_lead)."""
    return _led_organisation(user)
