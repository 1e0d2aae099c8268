"""The demo shows the jobs at work: reminders sent this morning and others waiting, a failure for the
administrator, and an archive of Board reports (rendered for real, one quarter in two versions)."""

import pytest
from django.core.management import call_command

from actions.models import BoardReport
from actions.reports.services import board_report_content
from notifications.emails import notification_message
from notifications.models import Notification, NotificationItem

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # the whole demo is loaded


def test_seed_demo_has_pending_and_sent_reminders_and_an_archive_of_reports():
    call_command("seed_demo", password="a-demo-passphrase")
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert {Notification.Status.SENT, Notification.Status.PENDING, Notification.Status.FAILED} <= statuses
    assert Notification.objects.filter(kind="deadline_reminder", status=Notification.Status.SENT).exists()
    # The strategy group's chair has a demo login, so the demo shows an escalation (and who leads it).
    escalated = NotificationItem.objects.filter(notification__recipient__email="strategy@demo.example",
                                                reason__startswith="escalated to chair")
    assert escalated.exists()
    email = notification_message(escalated.first().notification)
    assert "As chair of the Workforce Strategy Group" in email.body and "Led by: " in email.body

    ready = BoardReport.objects.filter(status=BoardReport.Status.READY)
    assert ready.values("period_start").distinct().count() >= 2
    assert ready.filter(version=2).exists()  # regenerated: both versions kept
    for report in ready:
        assert board_report_content(report=report).startswith(b"%PDF-")
