"""Services for administering accounts in the portal (docs/workforce.md#administration): invite a person (an
email to choose a password), send the invitation again, give and take away roles, deactivate and reactivate.
Each writes one history record on the account, naming who did it and why."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.roles import Role, roles_of
from partners.models import Organisation

from .models import StaffProfile, User
from .services import email_send_on_commit, user_roles_set


class AccountError(Exception):
    """A change refused, with a message for the page."""


def _stamp(person: User, *, by: User | None, reason: str) -> None:
    person._history_user = by  # type: ignore[attr-defined]
    person._change_reason = reason  # type: ignore[attr-defined]


def invitation_is_pending(person: User) -> bool:
    """Invited and not yet signed in: no password chosen and never signed in."""
    return person.is_active and person.last_login is None and not person.has_usable_password()


def _invitation_send(person: User, *, by: User | None) -> None:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    link = settings.SITE_URL.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    email_send_on_commit(
        to=[person.email], subject="You are invited to the Workforce Portal", template="workforce/emails/invitation",
        context={"person": person, "by": by, "link": link, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )


def person_invite(
    *, email: str, first_name: str, last_name: str, organisation: Organisation | None, roles: Iterable[Role],
    by: User | None,
) -> User:
    """Make an account with no password and email the person a link to choose one."""
    email = email.strip().lower()
    roles = set(roles) or {Role.PRACTITIONER}
    try:
        with transaction.atomic():
            person = User(email=email, first_name=first_name.strip(), last_name=last_name.strip())
            person.set_unusable_password()
            _stamp(person, by=by, reason="Invited")
            person.save()
            StaffProfile.objects.create(user=person, organisation=organisation)
            _stamp(person, by=by, reason=f"Invited with the roles {', '.join(sorted(r.value for r in roles))}")
            user_roles_set(user=person, roles=roles)
            _invitation_send(person, by=by)
    except IntegrityError as error:
        raise AccountError(f"{email} already has an account.") from error
    return person


def invitation_resend(*, person: User, by: User | None) -> None:
    """Email a fresh link, for an invitation that has not been taken up (a link lasts a day)."""
    if not invitation_is_pending(person):
        raise AccountError(f"{person} has already signed in, so there is no invitation to send again.")
    with transaction.atomic():
        _invitation_send(person, by=by)


def person_role_add(*, person: User, role: Role, by: User | None) -> None:
    held = roles_of(person)
    if role in held:
        raise AccountError(f"{person} already has the role {role.value}.")
    with transaction.atomic():
        _stamp(person, by=by, reason=f"Role given: {role.value}")
        user_roles_set(user=person, roles=held | {role})


def person_role_remove(*, person: User, role: Role, by: User | None) -> None:
    held = roles_of(person)
    if role not in held:
        raise AccountError(f"{person} does not have the role {role.value}.")
    if role == Role.ADMINISTRATOR and by is not None and person.pk == by.pk:
        raise AccountError("You cannot take away your own Administrator role: ask another administrator.")
    if held == {role}:
        raise AccountError(f"{role.value} is {person}'s only role: give them another before taking it away.")
    with transaction.atomic():
        _stamp(person, by=by, reason=f"Role taken away: {role.value}")
        user_roles_set(user=person, roles=held - {role})


def person_deactivate(*, person: User, by: User | None) -> User:
    """Close the account: the person can no longer sign in; what they did stays."""
    if by is not None and person.pk == by.pk:
        raise AccountError("You cannot deactivate your own account.")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if not person.is_active:
            raise AccountError(f"{person}'s account is already deactivated.")
        person.is_active = False
        _stamp(person, by=by, reason="Deactivated")
        person.save(update_fields=["is_active"])
    return person


def person_reactivate(*, person: User, by: User | None) -> User:
    """Open a closed account again (a returner): they count in headcounts and compliance again."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.is_active:
            raise AccountError(f"{person}'s account is already active.")
        if person.anonymised_at is not None:
            raise AccountError("This account was anonymised and cannot be opened again.")
        person.is_active = True
        person.left_on = None
        _stamp(person, by=by, reason="Reactivated")
        person.save(update_fields=["is_active", "left_on"])
    return person
