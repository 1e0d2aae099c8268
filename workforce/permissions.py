"""Object rules about people, on top of the roles (core.roles): who leads an organisation, who may see the
staff list and the dashboard, who may edit whom, and the `get_<thing>_for(user, pk)` helpers that 404."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import Role, has_role

from .models import DesignatedRole, ImportBatch, StaffProfile, User

Viewer = User | AnonymousUser  # request.user: signed in or not

# Who may see whom is decided in one place, workforce.selectors.people_visible_to; these helpers build on it.


def profile_of(user: Viewer) -> StaffProfile | None:
    """The user's staff profile, or None (cached on the user object by Django's reverse one-to-one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    assert isinstance(user, User)  # an authenticated user is one of ours
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def is_organisation_lead(user: Viewer) -> bool:
    """True when the user leads an organisation (StaffProfile.is_organisation_lead, with an organisation)."""
    profile = profile_of(user)
    return bool(profile and profile.is_organisation_lead and profile.organisation_id)


def led_organisation_id(user: Viewer) -> int | None:
    """The id of the organisation the user leads, or None."""
    profile = profile_of(user)
    return profile.organisation_id if profile and is_organisation_lead(user) else None


def can_manage_people(user: Viewer) -> bool:
    """Administrators manage everyone; organisation leads manage their own organisation's people."""
    return has_role(user, Role.ADMINISTRATOR) or is_organisation_lead(user)


def can_see_staff_list(user: Viewer) -> bool:
    """The staff list: administrators, organisation leads, and line managers (their own team)."""
    return can_manage_people(user) or has_role(user, Role.LINE_MANAGER)


# Accounts whose powers guard everyone else's data: only administrators change them (their profile, roles, email).
PRIVILEGED_ROLES = (Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR)


def privileged_account_ids(pks: Iterable[int]) -> set[int]:
    """Of these accounts, the privileged: administrators (superusers too), training coordinators, and anyone
    whose sign-in asks for a second factor (a confirmed authenticator)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pks = list(pks)
    names = [role.value for role in PRIVILEGED_ROLES]
    found = set(User.objects.filter(pk__in=pks, is_superuser=True).values_list("pk", flat=True))
    found |= set(User.groups.through.objects.filter(user_id__in=pks, group__name__in=names)
                 .values_list("user_id", flat=True))
    found |= set(TOTPDevice.objects.filter(user_id__in=pks, confirmed=True).values_list("user_id", flat=True))
    return found


def is_privileged_account(person: User) -> bool:
    return bool(privileged_account_ids([person.pk]))


def can_edit_person(user: Viewer, person: User) -> bool:
    """Administrators edit anyone; an organisation lead edits the people of their organisation, except
    privileged accounts (administrators, coordinators, two-factor sign-in), which only administrators edit."""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    if is_privileged_account(person):
        return False
    org_id = led_organisation_id(user)
    target = profile_of(person)
    return org_id is not None and target is not None and target.organisation_id == org_id


def can_see_workforce_dashboard(user: Viewer) -> bool:
    """Administrators and Board members see the partnership's figures; organisation leads their own."""
    return has_role(user, Role.ADMINISTRATOR, Role.BOARD_MEMBER) or is_organisation_lead(user)


def get_person_for(user: Viewer, pk: int) -> User:
    """The person (a User, profile loaded) with this id if `user` may see their details, else a 404."""
    from .selectors import people_visible_to

    return get_object_or_404(people_visible_to(user=user), pk=pk)


def get_editable_person_for(user: Viewer, pk: int) -> User:
    """The person with this id if `user` may edit their profile and roles, else a 404."""
    person = get_person_for(user, pk)
    if not can_edit_person(user, person):
        raise Http404
    return person


def get_designated_role_for(user: Viewer, pk: int) -> DesignatedRole:
    """A designated role the user may change (that of a person they may edit), else a 404."""
    role = get_object_or_404(DesignatedRole.objects.select_related("person__profile", "organisation"), pk=pk)
    if not can_edit_person(user, role.person):
        raise Http404
    return role


def get_import_batch_for(user: Viewer, pk: int) -> ImportBatch:
    """An import the user uploaded (administrators: any), else a 404."""
    batch = get_object_or_404(ImportBatch.objects.select_related("organisation", "uploaded_by"), pk=pk)
    if batch.uploaded_by_id != user.pk and not has_role(user, Role.ADMINISTRATOR):
        raise Http404
    if not can_manage_people(user):
        raise Http404
    return batch
