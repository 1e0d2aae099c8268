"""Roles and the checks built on them.

Roles are Django groups, created by a data migration (workforce/migrations/0002_roles.py). Object
rules (a lead updates the actions they lead, a manager sees their team) sit on top, in each app's
permissions.py. What a user may not see is a 404, not a 403 with a hint.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


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


def roles_of(user) -> set[Role]:
    """The roles a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        if user.is_superuser:
            cached.add(Role.ADMINISTRATOR)
        user._roles_cache = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    """True when the user holds any of the given roles. Administrators hold every permission."""
    held = roles_of(user)
    return Role.ADMINISTRATOR in held or any(role in held for role in roles)


def primary_role(user) -> Role:
    held = roles_of(user)
    for role in HOME_PRECEDENCE:
        if role in held:
            return role
    return Role.PRACTITIONER


def role_required(*roles: Role):
    """View decorator: signed-in users without one of the roles get a 404 (we do not hint at what exists)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
