"""Who may see and revoke which token: what a user may not see is a 404."""

from django.http import Http404

from workforce.models import User

from .models import ApiToken
from .selectors import tokens_visible_to


def get_token_for(user: User, pk: int) -> ApiToken:
    try:
        return tokens_visible_to(user=user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise Http404 from None


def token_has_scope(token: ApiToken | None, scope: str) -> bool:
    """A request signed in through the browser (no token) holds every scope its roles allow."""
    return token is None or scope in token.scopes
