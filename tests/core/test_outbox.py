"""The outbox: a booking made while the broker is down still succeeds, and its email goes once the broker is back.

The broker is made unreachable for real (a Redis URL on a port nobody listens on); the relay then runs against the
configured broker (eager in tests, so the email lands in the test mailbox)."""

from contextlib import contextmanager

import pytest
from celery import current_app
from django.db import transaction

from core.models import OutboxMessage
from core.outbox import outbox_add, outbox_relay
from core.tasks import outbox_relay_run
from tests.training.factories import SessionFactory
from training import services
from training.models import Booking

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def broker_down():
    """Celery publishes to a broker that refuses connections until the block ends."""
    conf = current_app.conf
    saved = conf.broker_url, conf.broker_transport, conf.task_always_eager

    def reset_pools():
        current_app._pool = None
        current_app.amqp._producer_pool = None

    conf.broker_url, conf.broker_transport, conf.task_always_eager = "redis://127.0.0.1:1/0", "redis", False
    reset_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.broker_transport, conf.task_always_eager = saved
        reset_pools()


def test_a_booking_made_while_the_broker_is_down_is_kept_and_emailed_when_it_returns(practitioner, mailoutbox):
    session = SessionFactory(capacity=5)
    with broker_down():
        with transaction.atomic():
            booking = services.booking_create(session=session, person=practitioner)
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
        [waiting] = OutboxMessage.objects.filter(sent_at__isnull=True)
        assert waiting.last_error
        assert outbox_relay_run() == 0  # the scheduled relay while it is still down: sends nothing, loses nothing
        assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 1
    assert mailoutbox == []

    outbox_relay_run()  # the broker is back
    [mail] = mailoutbox
    assert mail.to == [practitioner.email] and mail.subject == f"Booking confirmed: {session.course.title}"
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_row_is_relayed_once_however_often_the_relay_runs(mailoutbox):
    payload = {"to": ["p@example.org"], "subject": "once", "text": "x", "html": "x", "attachments": []}
    OutboxMessage.objects.create(task="workforce.tasks.email_send", args=[payload])
    assert [outbox_relay_run(), outbox_relay_run()] == [1, 0]
    assert [m.subject for m in mailoutbox] == ["once"]


def test_a_rolled_back_change_leaves_nothing_to_send(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_add("workforce.tasks.email_send", {"to": ["a@example.org"], "subject": "x", "text": "x", "html": "x"})
        raise RuntimeError("the booking failed")
    assert not OutboxMessage.objects.exists()
    assert outbox_relay() == 0
    assert mailoutbox == []


def test_each_row_is_sent_in_the_order_written(mailoutbox):
    for n in range(3):
        payload = {"to": [f"p{n}@example.org"], "subject": f"n{n}", "text": "x", "html": "x", "attachments": []}
        OutboxMessage.objects.create(task="workforce.tasks.email_send", args=[payload])
    assert outbox_relay() == 3
    assert [m.subject for m in mailoutbox] == ["n0", "n1", "n2"]
