"""Small display helpers for training templates."""

from django import template
from django.utils import timezone

register = template.Library()

STATUS_CLASSES = {
    "confirmed": "text-bg-success",
    "attended": "text-bg-success",
    "pending_approval": "text-bg-info",
    "waitlisted": "text-bg-warning",
    "cancelled": "text-bg-secondary",
    "late_cancelled": "text-bg-secondary",
    "declined": "text-bg-danger",
    "no_show": "text-bg-danger",
    "scheduled": "text-bg-success",
    "closed": "text-bg-secondary",
}


@register.inclusion_tag("training/_status.html")
def status_badge(obj):
    """A badge with the status in words (never colour alone)."""
    return {"css": STATUS_CLASSES.get(obj.status, "text-bg-light"), "label": obj.get_status_display()}


@register.filter
def places_left(session) -> int:
    return max(session.capacity - getattr(session, "places_taken", 0), 0)


@register.filter
def when(session) -> str:
    """'Tue 3 Mar 2026, 09:30–12:30' or for several days 'Tue 3 Mar – Wed 4 Mar 2026 (2 days)'."""
    dates = list(session.dates.all())
    if not dates:
        return "Dates to be confirmed"
    first, last = timezone.localtime(dates[0].starts_at), timezone.localtime(dates[-1].ends_at)
    if len(dates) == 1:
        return f"{first:%a %-d %b %Y}, {first:%H:%M}–{last:%H:%M}"
    return f"{first:%a %-d %b} – {last:%a %-d %b %Y} ({len(dates)} days)"


# --- Home-page panels (templates/portal/home/*.html) ---------------------------------------------------------


@register.inclusion_tag("training/panels/my_bookings.html", takes_context=True)
def training_panel_my_bookings(context):
    from .training_compliance_tags import upcoming_bookings_of

    mine = upcoming_bookings_of(context)
    return {"upcoming": mine["upcoming"][:5], "waiting": mine["waiting"][:5]}


@register.inclusion_tag("training/panels/find_course.html", takes_context=True)
def training_panel_find_course(context):
    from ..selectors import band_number_of

    return {"band_number": band_number_of(context["request"].user)}


@register.inclusion_tag("training/panels/approvals.html", takes_context=True)
def training_panel_approvals(context):
    from ..selectors import bookings_awaiting_approval_by

    return {"pending": list(bookings_awaiting_approval_by(manager=context["request"].user)[:10])}


@register.inclusion_tag("training/panels/coordinator_sessions.html")
def training_panel_coordinator_sessions():
    from ..selectors import sessions_for_coordinator

    return {"sessions": list(sessions_for_coordinator()[:6])}
