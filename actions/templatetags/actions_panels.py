"""Panels of the action plan for the role home pages (templates/portal/home/*.html):
`{% load actions_panels %}{% actions_my_actions_panel %}{% actions_plan_panel %}`."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("actions/panels/_my_actions.html", takes_context=True)
def actions_my_actions_panel(context, only_if_lead: bool = False, limit: int = 5):
    """The actions the signed-in person leads, soonest due first. With only_if_lead, nothing for non-leads."""
    user = context["request"].user
    actions = list(selectors.actions_led_by(user=user)[: limit + 1])
    return {
        "show": bool(actions) or not only_if_lead,
        "actions": actions[:limit],
        "more": len(actions) > limit,
        "overdue": sum(1 for a in actions if a.is_overdue),
    }


@register.inclusion_tag("actions/panels/_plan.html", takes_context=True)
def actions_plan_panel(context):
    """The active plan at a glance: actions by status, overdue, due in the next 30 days."""
    strategy = selectors.plan_active(with_theme_count=True)
    if strategy is None:
        return {"strategy": None}
    return {"strategy": strategy, "figures": selectors.plan_figures(strategy=strategy)}


@register.inclusion_tag("actions/report/_home_panel.html", takes_context=True)
def actions_reports_panel(context, limit: int = 4):
    """The latest ready Board report of each recent quarter (for Board members and the strategy group)."""
    from ..reports.permissions import can_read_reports
    from ..reports.selectors import board_reports_latest_ready

    if not can_read_reports(context["request"].user):
        return {"show": False}
    return {"show": True, "reports": board_reports_latest_ready(limit=limit)}
