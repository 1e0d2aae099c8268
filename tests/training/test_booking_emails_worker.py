"""A person's booking emails are rendered and sent by a real Celery worker (Redis in CI, the filesystem broker
otherwise) from the booking's id, once each, with what the person needs: the invitation for a place, the
position for the waiting list."""

import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role
from tests.training.factories import SessionFactory
from tests.waiting import tasks, wait_for

pytestmark = pytest.mark.worker


def test_booking_and_waiting_list_emails_come_from_the_worker(celery_worker, client, make_user):
    session = SessionFactory(capacity=1, course__title="Safeguarding children: level 2")
    first, second = make_user(Role.PRACTITIONER), make_user(Role.PRACTITIONER)
    for person in (first, second):
        client.force_login(person)
        response = client.post(reverse("training:booking_create", args=[session.pk]))
        assert response.status_code == 302

    wait_for(lambda: len(mail.outbox) == 2, lambda: f"the worker sent {len(mail.outbox)} of 2 emails")
    sent = {message.to[0]: message for message in mail.outbox}
    confirmed, waiting = sent[first.email], sent[second.email]
    assert confirmed.subject == "Booking confirmed: Safeguarding children: level 2"
    assert [name.endswith(".ics") for name, _content, _type in confirmed.attachments] == [True]
    assert waiting.subject == "On the waiting list: Safeguarding children: level 2"
    assert "at number 1" in waiting.body
    wait_for(tasks.all_finished, tasks.describe)  # every task queued has run: nothing more can arrive
    assert len(mail.outbox) == 2, "an email was sent twice"
