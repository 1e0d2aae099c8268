"""Email really goes through a Celery worker (Redis in CI, the filesystem broker otherwise)."""

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role
from tests.waiting import wait_for

pytestmark = pytest.mark.worker


def test_password_reset_email_is_sent_by_the_worker(celery_worker, client, make_user):
    user = make_user(Role.PRACTITIONER)
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    wait_for(lambda: len(mail.outbox) == 1, "the worker did not send the email")
    assert mail.outbox[0].to == [user.email]
    assert "Reset your Workforce Portal password" in mail.outbox[0].subject


def test_nightly_housekeeping_clears_expired_sessions_on_the_worker(celery_worker):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from workforce.tasks import sessions_clear_expired

    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1))
    Session.objects.create(session_key="y" * 32, session_data="", expire_date=timezone.now() + timedelta(days=1))
    sessions_clear_expired.delay()
    wait_for(lambda: not Session.objects.filter(session_key="x" * 32).exists(), "the expired session is still there")
    assert Session.objects.filter(session_key="y" * 32).exists()
