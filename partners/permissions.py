"""Who sees what about the partnership. Sectors, organisations and governance bodies are open to anyone
signed in. Governance members' email and phone are shown to those who work with the bodies."""

from django.shortcuts import get_object_or_404

from core.roles import Person, Role, has_role

from .models import GovernanceBody, Organisation


def can_see_member_contacts(user: Person) -> bool:
    return has_role(user, Role.ADMINISTRATOR, Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER)


def get_organisation_for(user: Person, slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("sector"), slug=slug, is_active=True)


def get_governance_body_for(user: Person, slug: str) -> GovernanceBody:
    return get_object_or_404(GovernanceBody.objects.select_related("reports_to"), slug=slug)
