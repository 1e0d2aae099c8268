"""Make workforce's cached reads stale when what they derive from changes (core.caching explains how):
everyone's roles when any group membership or group changes; the dashboard's figures when a person, a staff
profile, a designated role, an organisation or a sector changes. Connected in WorkforceConfig.ready()."""

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import cache_namespace_bump
from core.roles import ROLES_NAMESPACE
from partners.models import Organisation, Sector

from .models import DesignatedRole, StaffProfile, User
from .selectors import FIGURES_NAMESPACE

# Saving only these changes no name and no figure (signing in writes last_login).
SIGN_IN_FIELDS = frozenset({"last_login", "password"})


def is_sign_in_save(sender, update_fields) -> bool:
    """A save that only records a sign-in or a new password (for receivers that care about people's details)."""
    return sender is User and bool(update_fields) and set(update_fields) <= SIGN_IN_FIELDS


def roles_stale(**_kwargs) -> None:
    cache_namespace_bump(ROLES_NAMESPACE)


def figures_stale(sender=None, update_fields=None, **_kwargs) -> None:
    if not is_sign_in_save(sender, update_fields):
        cache_namespace_bump(FIGURES_NAMESPACE)


def workforce_cache_stale() -> None:
    """Everything workforce caches, made stale (after bulk writes that send no signals)."""
    roles_stale()
    figures_stale()


def connect() -> None:
    m2m_changed.connect(roles_stale, sender=User.groups.through, dispatch_uid="workforce-roles-m2m")
    for signal in (post_save, post_delete):
        signal.connect(roles_stale, sender=Group, dispatch_uid=f"workforce-roles-group-{signal is post_save}")
        for model in (User, StaffProfile, DesignatedRole, Organisation, Sector):
            signal.connect(figures_stale, sender=model,
                           dispatch_uid=f"workforce-figures-{model.__name__}-{signal is post_save}")  # fmt: skip
    # After django-axes has recorded the failure (axes connects first: it is earlier in INSTALLED_APPS).
    user_login_failed.connect(sign_in_failed, dispatch_uid="workforce-sign-in-failed")


def sign_in_failed(sender=None, credentials=None, request=None, **_kwargs) -> None:
    from django.conf import settings

    from .security import axes_username
    from .sign_in_guard import owner_warn_if_attacked

    if request is not None and getattr(settings, "AXES_ENABLED", True):
        owner_warn_if_attacked(username=axes_username(request, credentials))
