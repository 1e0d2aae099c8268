"""Reads for the administration pages: accounts with their state, and an account's history of roles and access."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q, QuerySet

from .models import User

# Invited: an account no one has signed in to, whose password is still unusable (none chosen yet).
INVITED = Q(is_active=True, last_login=None, password__startswith=UNUSABLE_PASSWORD_PREFIX)
STATES = {"active": "Active", "invited": "Invited", "deactivated": "Deactivated"}


def accounts_for_administration(*, search: str = "", state: str = "") -> QuerySet[User]:
    """Every account, newest first, with organisation and roles fetched (three queries a page)."""
    accounts = User.objects.select_related("profile__organisation").prefetch_related("groups").order_by(
        "last_name", "first_name", "email"
    )
    if search:
        accounts = accounts.filter(
            Q(email__icontains=search) | Q(first_name__icontains=search) | Q(last_name__icontains=search)
        )
    if state == "active":
        accounts = accounts.filter(is_active=True).exclude(INVITED)
    elif state == "invited":
        accounts = accounts.filter(INVITED)
    elif state == "deactivated":
        accounts = accounts.filter(is_active=False)
    return accounts


def account_state(person: User) -> str:
    if not person.is_active:
        return "deactivated"
    if person.last_login is None and not person.has_usable_password():
        return "invited"
    return "active"


def invitations_pending_count() -> int:
    return User.objects.filter(INVITED).count()


def account_history(*, person: User, limit: int = 30) -> list[dict[str, object]]:
    """Changes to the account (roles, access, name), newest first: {when, who, what}. One query."""
    records = list(
        person.history.select_related("history_user").order_by("history_date", "history_id")
    )
    changes: list[dict[str, object]] = []
    for record in records:
        what = record.history_change_reason or {"+": "Account created", "~": "Account changed", "-": "Deleted"}[
            record.history_type
        ]
        changes.append({"when": record.history_date, "who": record.history_user, "what": what})
    return list(reversed(changes))[:limit]
