from django.conf import settings

from core.roles import primary_role, roles_of

from .navigation import navigation_for


def branding(request) -> dict:
    """The partnership's name, colour and logo on every page (one cache read; portal.branding)."""
    from .branding import branding_current

    return {"branding": branding_current()}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": []}
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        **navigation_for(user, request.path),
        "user_roles": sorted(role.value for role in roles_of(user)),
        "user_primary_role": primary_role(user).value,
    }
