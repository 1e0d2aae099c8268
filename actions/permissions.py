"""Who may read and change the action plan: the strategy group and administrators edit, leads update
their own actions, Board members read every strategy, everyone else the active plan (docs/actions.md)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from core.roles import Role, has_role
from workforce.permissions import Viewer

from .models import Action, Evidence, Strategy


def can_edit_plan(user: Viewer) -> bool:
    return has_role(user, Role.STRATEGY_GROUP_MEMBER)


def can_read_all_plans(user: Viewer) -> bool:
    return has_role(user, Role.STRATEGY_GROUP_MEMBER, Role.BOARD_MEMBER)


def strategies_readable_q(user: Viewer) -> Q:
    if can_read_all_plans(user):
        return Q()
    return Q(status=Strategy.Status.ACTIVE)


def actions_readable_q(user: Viewer) -> Q:
    """Actions a user may read: those of plans they may read, and any action they lead."""
    if can_read_all_plans(user):
        return Q()
    active = Q(strategy__status=Strategy.Status.ACTIVE)
    if isinstance(user, AnonymousUser):  # leads nothing
        return active
    return active | Q(pk__in=Action.leads.through.objects.filter(user_id=user.pk).values("action_id"))


def may_post_updates(user: Viewer) -> bool:
    """Posts status updates at all: editors on any action, anyone else on the active plan's actions they lead.
    Board members change nothing, even on an action that names them as lead."""
    return can_edit_plan(user) or not has_role(user, Role.BOARD_MEMBER)


def may_update(user: Viewer, action: Action) -> bool:
    """May post a status update on this action (archived plans are read-only for everyone; a draft plan is not
    published yet, so only its editors post on it)."""
    if action.strategy.is_archived:
        return False
    if can_edit_plan(user):
        return True
    if not may_post_updates(user) or action.strategy.status != Strategy.Status.ACTIVE:
        return False
    return action.leads.filter(pk=user.pk).exists()


def get_strategy_for(user: Viewer, pk: int) -> Strategy:
    try:
        return Strategy.objects.filter(strategies_readable_q(user)).get(pk=pk)
    except Strategy.DoesNotExist:
        raise Http404 from None


def get_strategy_for_edit(user: Viewer, pk: int) -> Strategy:
    if not can_edit_plan(user):
        raise Http404
    try:
        return Strategy.objects.get(pk=pk)
    except Strategy.DoesNotExist:
        raise Http404 from None


def get_strategy_for_change(user: Viewer, pk: int) -> Strategy:
    """A strategy whose themes and actions the user may change (add, edit, import): not an archived one.
    Editors may still edit an archived strategy itself (get_strategy_for_edit), e.g. to reopen it."""
    strategy = get_strategy_for_edit(user, pk)
    if strategy.is_archived:
        raise Http404
    return strategy


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related("strategy", "theme", "leading_body")


def get_action_for(user: Viewer, pk: int) -> Action:
    ids = Action.objects.filter(actions_readable_q(user), pk=pk).values("pk")
    try:
        return _actions().get(pk__in=ids)
    except Action.DoesNotExist:
        raise Http404 from None


def get_action_for_update(user: Viewer, pk: int) -> Action:
    """The action, if the user may post a status update on it; a 404 otherwise (no hint it exists)."""
    try:
        action = _actions().get(pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None
    if not may_update(user, action):
        raise Http404
    return action


def get_action_for_edit(user: Viewer, pk: int) -> Action:
    """An action the user may edit (and add milestones to): an editor's, in a plan that is not archived."""
    if not can_edit_plan(user):
        raise Http404
    try:
        action = _actions().get(pk=pk)
    except Action.DoesNotExist:
        raise Http404 from None
    if action.strategy.is_archived:
        raise Http404
    return action


def get_evidence_for(user: Viewer, pk: int) -> Evidence:
    try:
        evidence = Evidence.objects.select_related("update__action").get(pk=pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    get_action_for(user, evidence.update.action_id)
    return evidence
