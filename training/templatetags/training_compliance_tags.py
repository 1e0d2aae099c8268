"""Home-page panels for the register, My training and team compliance."""

from django import template
from django.utils import timezone

from training import compliance, selectors
from training.permissions import can_see_all_compliance, can_see_organisation_compliance

register = template.Library()


def upcoming_bookings_of(context) -> dict:
    """The signed-in person's upcoming bookings and waiting lists, read once for all the panels of a page."""
    request = context["request"]
    if not hasattr(request, "_training_upcoming"):
        request._training_upcoming = selectors.bookings_of(person=request.user, past=False)
    return request._training_upcoming


@register.inclusion_tag("training/panels/my_training.html", takes_context=True)
def training_panel_my_training(context):
    """The practitioner's compliance at a glance: a count per state and the gaps, each with a way to book."""
    user = context["request"].user
    mine = compliance.compliance_of(person=user, today=timezone.localdate())
    cells = mine.cells if mine else []
    lines = []
    if any(cell.state.is_gap for cell in cells):  # as on My training: a gap already booked says so, not "Book"
        mine_upcoming = upcoming_bookings_of(context)
        lines = [line for line in compliance.requirement_lines(mine, courses=compliance.courses_for_gaps(mine),
                                                               bookings=[*mine_upcoming["upcoming"],
                                                                         *mine_upcoming["waiting"]])
                 if line[0].state.is_gap]  # fmt: skip
    return {
        "cells": cells,
        "gaps": lines,
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
