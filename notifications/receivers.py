"""Notifications for events in other apps, through their signals (this app sits above them)."""

from django.contrib.auth import get_user_model
from django.dispatch import receiver

from actions.signals import board_report_ready
from core.roles import Role

from .models import Kind
from .reminders import Candidate, _url
from .services import notifications_notify


@receiver(board_report_ready, dispatch_uid="notifications.board_report_ready")
def board_report_ready_notify(sender, report, **kwargs):
    """Tell whoever asked for the report, and every Board member, that it can be downloaded."""
    User = get_user_model()
    recipients = set(
        User.objects.filter(groups__name=Role.BOARD_MEMBER.value, is_active=True).values_list("pk", flat=True)
    )
    if report.requested_by_id:
        recipients.add(report.requested_by_id)
    label = f"{report.quarter_label} report on {report.strategy.title} (version {report.version})"
    url = _url("actions:report_detail", report.pk, fallback="portal:home")
    notifications_notify(candidates=[
        Candidate(kind=Kind.REPORT_READY, recipient_id=pk, item_type="board_report", item_id=report.pk, label=label,
                  url=url, due_date=None, stage="ready", reason="ready to download", digest=False)
        for pk in sorted(recipients)
    ])
