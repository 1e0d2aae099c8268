"""Sending: each notification at most once under concurrent workers, retries, duplicates and a dead worker;
failures recorded with their reason and shown to administrators first."""

import datetime as dt
import smtplib
import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.locking import lock_space
from core.roles import Role
from notifications import services
from notifications.models import Kind, Notification
from notifications.reminders import Candidate
from notifications.tasks import notification_send
from tests.waiting import wait_for


def record(person, *, item_id=1, kind=Kind.REFRESHER_REMINDER, django_capture_on_commit_callbacks=None):
    """One notification (a refresher reminder: its requirement need not exist), its send task run inline."""
    candidate = Candidate(kind=kind, recipient_id=person.pk, item_type="requirement", item_id=item_id,
                          label="Safeguarding level 2", url="http://testserver/training/", due_date=dt.date(2026, 5, 1),
                          stage="refresher-60", reason="expires on 1 May 2026", digest=False)
    return services.notifications_notify(candidates=[candidate])


class FlakyBackend:
    """An email backend whose server refuses the first `failures` messages."""

    failures = 0
    calls = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky():
    FlakyBackend.calls = 0
    with override_settings(EMAIL_BACKEND="tests.notifications.test_delivery.FlakyBackend"):
        yield FlakyBackend


@pytest.mark.django_db
def test_a_task_delivered_twice_sends_once(practitioner):
    record(practitioner)
    notification = Notification.objects.get()
    assert notification_send.delay(notification.pk).get() == "sent"
    assert notification_send.delay(notification.pk).get() == "skipped"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{notification.pk}@workforce-portal>"


@pytest.mark.django_db
def test_a_mail_server_failure_is_retried_then_recorded_as_failed(practitioner, flaky):
    conf = notification_send.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    flaky.failures = 10
    record(practitioner)
    notification = Notification.objects.get()
    try:
        notification_send.apply(args=[notification.pk])  # eager: the retries run inline
    finally:
        conf.task_eager_propagates = propagates
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 4  # the first try and three retries
    assert "Connection unexpectedly closed" in notification.error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_retry_after_a_passing_failure_sends_once(practitioner, flaky):
    flaky.failures = 1
    record(practitioner)
    notification = Notification.objects.get()
    notification_send.apply(args=[notification.pk], throw=False)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 2
    assert len(mail.outbox) == 1


def _other_session():
    """A second PostgreSQL session, standing for another worker process's connection."""
    import psycopg2

    settings = connection.settings_dict
    other = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                             host=settings["HOST"], port=settings["PORT"] or 5432)
    other.autocommit = True
    return other


def _wait_until_unlocked(notification_id, timeout=10.0):
    def unlocked() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
                           "AND objid = %s AND granted", [lock_space(services.SENDER_LOCK), notification_id])
            return cursor.fetchone()[0] == 0

    wait_for(unlocked, "the closed session still holds the sender lock", timeout=timeout)


@pytest.mark.django_db
def test_a_live_sender_is_left_alone_and_a_dead_ones_notification_is_sent_at_once(
    practitioner, django_capture_on_commit_callbacks
):
    if connection.vendor != "postgresql":
        pytest.skip("sender locks are PostgreSQL advisory locks (SQLite uses the time lease, tested below)")
    record(practitioner)
    notification = Notification.objects.get()
    # Another worker claims it and, while it sends, holds the notification's sender lock on its connection.
    sender = _other_session()
    with sender.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [lock_space(services.SENDER_LOCK), notification.pk])
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENDING, sending_started_at=timezone.now() - dt.timedelta(hours=1), attempts=1)
    # However long it takes, a redelivered task and the requeue pass leave a live sender alone.
    assert notification_send.delay(notification.pk).get() == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_requeue_stale() == 0
    assert mail.outbox == []
    # The worker dies: its connection closes and the lock goes with it. The next task sends it, once.
    sender.close()
    _wait_until_unlocked(notification.pk)  # (the server ends a closed session a moment later)
    assert notification_send.delay(notification.pk).get() == "sent"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(mail.outbox) == 1
    assert notification_send.delay(notification.pk).get() == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_requeue_stale() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_requeue_pass_sends_what_a_dead_worker_left_sending(practitioner, django_capture_on_commit_callbacks):
    record(practitioner)
    notification = Notification.objects.get()
    claimed = services.notification_claim(notification_id=notification.pk,
                                          now=timezone.now() - dt.timedelta(minutes=20))
    assert claimed is not None  # a worker took it, then died before sending (it holds no sender lock)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_requeue_stale() == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_requeue_stale() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_without_sender_locks_a_fresh_claim_is_left_alone_until_it_is_stale(practitioner):
    """SQLite has no advisory locks: a row "sending" is taken to be dead after STALE_AFTER."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL knows whether the sender is alive (tested above); this is SQLite's time lease")
    record(practitioner)
    notification = Notification.objects.get()
    assert services.notification_claim(notification_id=notification.pk) is not None
    assert services.notification_deliver(notification_id=notification.pk) == "skipped"
    Notification.objects.filter(pk=notification.pk).update(
        sending_started_at=timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=1))
    assert services.notification_deliver(notification_id=notification.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_lost_task_is_queued_again_once_per_interval(practitioner, django_capture_on_commit_callbacks):
    record(practitioner)  # (its task ran inline and sent it: make it look lost instead)
    Notification.objects.update(status=Notification.Status.PENDING, sent_at=None,
                                queued_at=timezone.now() - services.LOST_AFTER - dt.timedelta(seconds=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.notifications_requeue_stale() == 1
        assert services.notifications_requeue_stale() == 0  # queued a moment ago: not again yet
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_notification_once(make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between threads need PostgreSQL (SQLite serialises whole transactions)")
    person = make_user(email="once@example.org")
    record(person)  # (committed at once here, so its task ran inline: make it waiting again)
    Notification.objects.update(status=Notification.Status.PENDING, sent_at=None)
    mail.outbox.clear()
    notification = Notification.objects.get()
    barrier = threading.Barrier(4)
    results = []

    def worker():
        barrier.wait()
        results.append(services.notification_deliver(notification_id=notification.pk))
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_administrators_see_failures_first_and_can_send_again(client, make_user, practitioner,
                                                               django_capture_on_commit_callbacks):
    admin = make_user(Role.ADMINISTRATOR)
    record(practitioner, item_id=1)
    record(practitioner, item_id=2)
    first, second = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=first.pk).update(status=Notification.Status.SENT, sent_at=timezone.now())
    Notification.objects.filter(pk=second.pk).update(status=Notification.Status.FAILED, error="Mailbox full",
                                                     created_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(admin)
    page = client.get("/notifications/all/")
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    assert [n.pk for n in rows] == [second.pk, first.pk]
    assert "Mailbox full" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/{second.pk}/resend/")
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Notification.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_only_administrators_see_all_notifications(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/notifications/all/").status_code == 404
    record(practitioner)
    assert client.post(f"/notifications/{Notification.objects.get().pk}/resend/").status_code == 404


@pytest.mark.django_db
def test_a_person_sees_their_own_notifications_and_chooses_which_emails(client, practitioner, make_user):
    other = make_user(email="other@example.org")
    record(practitioner, item_id=1)
    record(other, item_id=2)
    client.force_login(practitioner)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert [n.recipient_id for n in page.context["page"].object_list] == [practitioner.pk]
    response = client.post("/notifications/", {"kinds": [Kind.REPORT_READY]})
    assert response.status_code == 302
    prefs = {p["kind"]: p["enabled"] for p in client.get("/notifications/").context["preferences"]}
    assert prefs == {Kind.SESSION_REMINDER: False, Kind.REFRESHER_REMINDER: False,
                     Kind.EVALUATION_REQUEST: False, Kind.REPORT_READY: True}
    assert "deadline_reminder" not in client.get("/notifications/").content.decode()
    bad = client.post("/notifications/", {"kinds": ["deadline_reminder"]})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.content.decode()


@pytest.mark.django_db
def test_send_again_refuses_a_kind_the_person_has_since_switched_off(client, make_user, practitioner):
    admin = make_user(Role.ADMINISTRATOR)
    record(practitioner)
    notification = Notification.objects.get()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.FAILED, error="Mailbox full")
    mail.outbox.clear()
    services.preferences_set(person=practitioner, enabled_kinds=[Kind.SESSION_REMINDER])  # refreshers off
    client.force_login(admin)
    page = client.post(f"/notifications/{notification.pk}/resend/", follow=True).content.decode()
    assert "has since switched off “Refresher reminder” emails, so it would not be sent. It stays failed." in page
    assert "Queued again" not in page
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert mail.outbox == []
