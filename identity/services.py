"""Every write in identity: keyword-only, one transaction per use case."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.roles import Role, has_role
from partners.models import Organisation
from workforce.models import User

from .models import ApiToken, Scope

TOKEN_START = "wfp_"  # noqa: S105 - the marker every token starts with, not a secret


class IdentityError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message, self.field = message, field
        super().__init__(message)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _scopes_checked(scopes: list[str]) -> list[str]:
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown or not scopes:
        raise IdentityError("Choose at least one of the scopes listed.", field="scopes")
    return [s for s in Scope.values if s in scopes]


@transaction.atomic
def token_create(*, by: User, name: str, scopes: list[str], organisation: Organisation | None = None) -> NewToken:
    """A personal token for `by`, or (administrators only) a service token for an organisation."""
    if not name.strip():
        raise IdentityError("Give the token a name that says what it is for.", field="name")
    if organisation is not None and not has_role(by, Role.ADMINISTRATOR):
        raise IdentityError("Only administrators make organisation service tokens.", field="organisation")
    if Scope.SCIM in scopes and organisation is None:
        raise IdentityError("A SCIM token is an organisation's: choose the organisation.", field="organisation")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        kind=ApiToken.Kind.SERVICE if organisation else ApiToken.Kind.PERSONAL,
        name=name.strip(), user=by, organisation=organisation, prefix=secret[:10],
        digest=token_digest(secret), scopes=_scopes_checked(scopes),
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoked at once: the next call with it is refused. Revoking twice changes nothing."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by)
    token.refresh_from_db()
    if not updated and token.revoked_at is None:  # pragma: no cover - the row vanished
        raise IdentityError("That token no longer exists.")
    return token


def token_mark_used(*, token: ApiToken, every_seconds: int = 60) -> None:
    """Record that the token was used, at most once a minute (one UPDATE, outside the caller's reads)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= every_seconds:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
