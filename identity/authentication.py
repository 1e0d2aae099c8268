"""DRF authentication and throttling by API token: `Authorization: Bearer wfp_…`."""

from typing import Any

from django.conf import settings
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken
from .selectors import token_for_secret
from .services import token_mark_used


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        token = token_for_secret(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown or has been revoked.")
        token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class TokenRateThrottle(SimpleRateThrottle):
    """Each token (or signed-in person) has API_RATE_LIMIT calls per period; past it, 429 with Retry-After."""

    scope = "token"

    def get_rate(self) -> str:
        return str(getattr(settings, "API_RATE_LIMIT", "1000/minute"))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
