"""SCIM's writes: people and roles of one organisation, through workforce's services (a deactivation is the
leaver path, never a delete)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from partners.models import Organisation
from workforce.models import User
from workforce.services import person_leave, staff_profile_update, user_account_update, user_create, user_roles_set

from ..models import DirectoryLink


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str = "") -> None:
        self.status, self.detail, self.scim_type = status, detail, scim_type
        super().__init__(detail)


@dataclass(frozen=True)
class PersonFields:
    user_name: str
    given_name: str | None = None
    family_name: str | None = None
    active: bool | None = None
    external_id: str | None = None


def _link(person: User, organisation: Organisation, external_id: str | None) -> None:
    link, _ = DirectoryLink.objects.get_or_create(person=person, defaults={"organisation": organisation})
    if external_id is not None and link.external_id != external_id:
        link.external_id = external_id
        link.save(update_fields=["external_id", "updated_at"])


@transaction.atomic
def scim_person_create(*, organisation: Organisation, fields: PersonFields, by: User) -> User:
    """A practitioner in the organisation, who signs in through the organisation's provider or resets a password."""
    email = fields.user_name.strip().lower()
    if "@" not in email:
        raise ScimError(400, "userName must be the person's email address.", "invalidValue")
    if User.objects.filter(email__iexact=email).exists():
        raise ScimError(409, "Someone with this userName (email) is already in the portal.", "uniqueness")
    person = user_create(email=email, first_name=fields.given_name or "", last_name=fields.family_name or "",
                         roles=[Role.PRACTITIONER])
    staff_profile_update(person=person, by=by, organisation=organisation)
    _link(person, organisation, fields.external_id)
    if fields.active is False:
        person = person_leave(person=person, left_on=timezone.localdate(), by=by)
    return person


@transaction.atomic
def scim_person_update(*, person: User, organisation: Organisation, fields: PersonFields, by: User) -> User:
    """Names, externalId and active. userName stays (the email is the portal's sign-in); a leaver stays one."""
    if fields.user_name and fields.user_name.strip().lower() != person.email.lower():
        raise ScimError(400, "userName (the email address) cannot be changed over SCIM.", "mutability")
    if fields.given_name is not None or fields.family_name is not None:
        person = user_account_update(
            user=person, phone=person.phone,
            first_name=person.first_name if fields.given_name is None else fields.given_name,
            last_name=person.last_name if fields.family_name is None else fields.family_name)
    _link(person, organisation, fields.external_id)
    if fields.active is False and person.is_active:
        person = person_leave(person=person, left_on=timezone.localdate(), by=by)
    elif fields.active is True and not person.is_active:
        raise ScimError(400, "A leaver is brought back by an administrator in the portal, not over SCIM.",
                        "mutability")
    return person


def scim_person_deactivate(*, person: User, by: User) -> User:
    """DELETE from a directory: the leaver path (privacy's retention schedule takes it from there)."""
    if not person.is_active:
        return person
    return person_leave(person=person, left_on=timezone.localdate(), by=by)


@transaction.atomic
def scim_role_members_change(*, role: Role, add: list[User], remove: list[User]) -> None:
    """A directory group mapped to a portal role: its members hold the role, others of the organisation not."""
    for person in add:
        user_roles_set(user=person, roles=_roles_held(person) | {role})
    for person in remove:
        user_roles_set(user=person, roles=_roles_held(person) - {role})


def _roles_held(person: User) -> set[Role]:
    names = set(person.groups.values_list("name", flat=True))
    return {role for role in Role if role.value in names}
