"""Who may call what: a token needs the scope, and its person the role the matching page needs."""

from typing import Any

from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from identity.models import ApiToken, Scope
from identity.permissions import token_has_scope


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def require_scope(request: Request, scope: str) -> None:
    """403 (a problem body naming the scope) for a token without it; a browser session holds every scope."""
    if not token_has_scope(token_of(request), scope):
        raise PermissionDenied(f"This token does not have the “{scope}” scope.")


class HasScopes(BasePermission):
    """Reads need `read`; a view's `write_scope` is needed for its writes (POST, PUT, PATCH, DELETE)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        require_scope(request, Scope.READ if request.method in ("GET", "HEAD", "OPTIONS")
                      else getattr(view, "write_scope", Scope.READ))
        return True
