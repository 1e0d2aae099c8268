"""Who may see and make Board reports. Everyone else gets a 404 for every report page."""

from django.http import Http404

from core.roles import Role, has_role
from workforce.permissions import Viewer

from ..models import BoardReport


def can_read_reports(user: Viewer) -> bool:
    return has_role(user, Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER)


def can_generate_reports(user: Viewer) -> bool:
    return has_role(user, Role.STRATEGY_GROUP_MEMBER)


def can_see_failure_detail(user: Viewer) -> bool:
    """Why a render failed (the exception) is for administrators; others read a plain sentence."""
    return has_role(user, Role.ADMINISTRATOR)


def get_board_report_for(user: Viewer, pk: int) -> BoardReport:
    if not can_read_reports(user):
        raise Http404
    report = BoardReport.objects.select_related("strategy", "requested_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
