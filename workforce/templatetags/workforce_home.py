"""The workforce panels on the role home pages: `{% load workforce_home %}{% workforce_panels %}`."""

from django import template

from core.roles import Role, has_role

from ..administration_selectors import invitations_pending_count
from ..permissions import (
    can_manage_people,
    can_see_staff_list,
    can_see_workforce_dashboard,
    is_organisation_lead,
    profile_of,
)
from ..selectors import organisation_people, people, team_of

register = template.Library()


@register.inclusion_tag("workforce/_home_panels.html", takes_context=True)
def workforce_panels(context):
    user = context["request"].user
    lead = is_organisation_lead(user) and not has_role(user, Role.ADMINISTRATOR)
    organisation = profile_of(user).organisation if lead else None
    return {
        "organisation": organisation,
        "organisation_count": organisation_people(organisation=organisation).count() if organisation else None,
        "everyone_count": people().count() if has_role(user, Role.ADMINISTRATOR, Role.BOARD_MEMBER) else None,
        "team_count": team_of(manager=user).count() if has_role(user, Role.LINE_MANAGER) else None,
        "can_see_dashboard": can_see_workforce_dashboard(user),
        "can_manage": can_manage_people(user),
        "can_see_staff": can_see_staff_list(user),
    }


@register.simple_tag
def invitations_pending() -> int:
    """For the administrator's task list: invitations not yet taken up."""
    return invitations_pending_count()
