"""At-least-once with harmless duplicates, measured: a real Celery worker killed with -9 in the middle of sending
a sweep's reminders, ten times. Every reminder is delivered; a second copy only of the send in flight at the
kill, with the same Message-ID. Figures: docs/notifications.md ("The crash window")."""

import datetime as dt
import email
import json
import os
import random
from collections import Counter
from pathlib import Path

import pytest

from notifications.models import Kind, Notification
from notifications.reminders import Candidate
from notifications.services import notifications_notify
from notifications.tasks import notifications_requeue_stale
from tests.waiting import wait_for

from .test_worker_processes import all_sent, with_result, workers  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

RUNS = int(os.environ.get("KILL_RUNS", "10"))
PER_RUN = 12


def record_due(people, run: int) -> None:
    notifications_notify(candidates=[
        Candidate(Kind.REFRESHER_REMINDER, person.pk, "requirement", run * 100 + i, "Safeguarding level 2",
                  "http://testserver/training/", dt.date(2026, 5, 1), f"refresher-{run}", "expires soon",
                  digest=False)
        for i, person in enumerate(people)
    ])


def test_a_worker_killed_mid_sweep_ten_times_delivers_every_reminder_duplicates_only_in_flight(  # noqa: F811
    workers, make_user, tmp_path  # noqa: F811
):
    people = [make_user(email=f"due{i}@example.org") for i in range(PER_RUN)]
    rng = random.Random(16)  # noqa: S311 - when to kill, not a secret
    figures = []
    for run in range(RUNS):
        before = set(Notification.objects.values_list("pk", flat=True))
        record_due(people, run)
        due = set(Notification.objects.values_list("pk", flat=True)) - before
        earlier = set(workers.mailbox.glob("*.eml"))
        workers.start(f"doomed{run}", each_send=0.15)
        kill_after = rng.randint(1, PER_RUN - 2)
        assert wait_for(lambda k=kill_after, e=earlier: len(set(workers.mailbox.glob("*.eml")) - e) >= k,
                        timeout=60), \
            workers.log(f"doomed{run}")
        workers.kill(f"doomed{run}")
        in_flight = set(Notification.objects.filter(pk__in=due, status=Notification.Status.SENDING)
                        .values_list("pk", flat=True))
        workers.start(f"rescuer{run}")
        with_result(notifications_requeue_stale).get(timeout=60)
        assert wait_for(all_sent, timeout=90), workers.log(f"rescuer{run}")
        workers.stop_all()

        sent = [email.message_from_bytes(p.read_bytes()) for p in set(workers.mailbox.glob("*.eml")) - earlier]
        copies = Counter(m["Message-ID"] for m in sent)
        expected = {Notification.objects.get(pk=pk).message_id for pk in due}
        assert set(copies) == expected  # every due reminder delivered, nothing else
        twice = {mid for mid, n in copies.items() if n > 1}
        in_flight_ids = {Notification.objects.get(pk=pk).message_id for pk in in_flight}
        assert twice <= in_flight_ids and all(n <= 2 for n in copies.values())
        for mid in twice:  # the copies are the same email: same recipient and subject under the same Message-ID
            assert len({(m["To"], m["Subject"]) for m in sent if m["Message-ID"] == mid}) == 1
        figures.append({"run": run + 1, "due": len(due), "killed_after_sends": kill_after,
                        "in_flight": len(in_flight), "delivered": len(copies), "duplicates": len(twice)})
    out = Path(os.environ.get("KILL_FIGURES", tmp_path / "figures.json"))
    out.write_text(json.dumps(figures, indent=1))
    assert sum(f["delivered"] for f in figures) == RUNS * PER_RUN
