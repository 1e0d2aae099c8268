"""Home-page panels for the register, My training and team compliance."""

from django import template
from django.utils import timezone

from training import compliance, selectors
from training.permissions import can_see_all_compliance, can_see_organisation_compliance

register = template.Library()


@register.inclusion_tag("training/panels/my_training.html", takes_context=True)
def training_panel_my_training(context):
    """The practitioner's compliance at a glance: a count per state and the gaps, each with a way to book."""
    user = context["request"].user
    mine = compliance.compliance_of(person=user, today=timezone.localdate())
    cells = mine.cells if mine else []
    gaps = compliance.courses_for_gaps(mine) if mine else {}
    return {
        "cells": cells,
        "gaps": [(cell, gaps.get(cell.requirement.pk, [])) for cell in cells if cell.state.is_gap],
        "to_evaluate": selectors.bookings_to_evaluate(person=user, dates=False)[:3],  # shown without dates
    }


@register.inclusion_tag("training/panels/team_compliance.html", takes_context=True)
def training_panel_team_compliance(context):
    """A line manager's team against the standard: how many are up to date, and the gaps by state."""
    user = context["request"].user
    matrix = compliance.compliance_matrix(people=selectors.people_for_compliance(scope="team", user=user),
                                          today=timezone.localdate())
    return {
        "matrix": matrix, "totals": matrix.totals, "states": compliance.SUMMARY_STATES,
        "organisation": can_see_organisation_compliance(user), "everyone": can_see_all_compliance(user),
    }


@register.inclusion_tag("training/panels/registers.html")
def training_panel_registers():
    """Sessions that have started and whose register is still open."""
    return {"sessions": selectors.sessions_awaiting_register()[:8]}
