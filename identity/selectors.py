"""Reads in identity, scoped to who asks."""

from django.db.models import Q, QuerySet

from core.roles import Role, has_role
from workforce.models import User

from .models import ApiToken
from .services import TOKEN_START, token_digest


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, its person loaded; None for an unknown or revoked one."""
    if not secret.startswith(TOKEN_START):
        return None
    return (ApiToken.objects.select_related("user", "organisation")
            .filter(digest=token_digest(secret), revoked_at__isnull=True, user__is_active=True).first())


def tokens_visible_to(*, user: User) -> QuerySet[ApiToken]:
    """A person's own tokens; administrators also every organisation's service tokens."""
    scope = Q(user=user, kind=ApiToken.Kind.PERSONAL)
    if has_role(user, Role.ADMINISTRATOR):
        scope |= Q(kind=ApiToken.Kind.SERVICE)
    return ApiToken.objects.filter(scope).select_related("organisation", "user")
