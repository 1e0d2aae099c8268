"""The retention job: what is past its period is anonymised, deleted or emptied; a second run changes
nothing; administrators set the periods; the schedule has it."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessLog
from django.conf import settings
from django.utils import timezone

from notifications.models import Notification
from partners.models import GovernanceMembership
from privacy.models import RetentionKind, RetentionRun
from privacy.selectors import retention_months
from privacy.services import PrivacyError, retention_months_set, retention_run
from tests.partners.factories import GovernanceMembershipFactory
from tests.training.factories import SessionFactory
from tests.waiting import wait_for
from training.models import Booking, Evaluation
from workforce.models import ImportBatch, User
from workforce.services import person_leave

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2027, 6, 15, 3, 0, tzinfo=dt.UTC)


def _ago(**kwargs):
    return TODAY - dt.timedelta(**kwargs)


@pytest.fixture
def old_and_new(make_user, admin):
    """Each kind of record twice: one past its default period on TODAY, one within it."""
    long_gone, recent = make_user(first_name="Long", last_name="Gone"), make_user(first_name="Just", last_name="Left")
    person_leave(person=long_gone, left_on=_ago(days=800).date(), by=admin)  # ~26 months: past 24
    person_leave(person=recent, left_on=_ago(days=30).date(), by=admin)
    for days, name in ((120, "old"), (10, "new")):  # sign-ins: 3 months
        log = AccessLog.objects.create(username=f"{name}@example.org", user_agent="t", http_accept="*/*", path_info="/")
        AccessLog.objects.filter(pk=log.pk).update(attempt_time=_ago(days=days))
    for days, key in ((400, "old"), (100, "new")):  # notifications: 12 months
        Notification.objects.create(recipient=admin, kind="session_reminder", subject="s", dedupe_key=key,
                                    for_date=_ago(days=days).date(), status="sent", sent_at=_ago(days=days),
                                    created_at=_ago(days=days))  # fmt: skip
    for days, status in ((45, "confirmed"), (40, "previewed"), (5, "confirmed")):  # import files: 1 month
        batch = ImportBatch.objects.create(uploaded_by=admin, filename=f"{days}.csv", status=status,
                                           rows=[{"line": 2, "values": {"email": "x@example.org"}}])  # fmt: skip
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=_ago(days=days))
    session = SessionFactory(start=_ago(days=900))
    for days in (800, 20):  # evaluation comments: 24 months
        booking = Booking.objects.create(session=session, person=make_user(), status="attended")
        Evaluation.objects.create(booking=booking, rating=5, comments=f"Comment {days}", submitted_at=_ago(days=days))
    for days in (400, 30):  # external members: 12 months after the seat ends
        GovernanceMembershipFactory(external_name=f"Rep {days}", end_date=_ago(days=days).date())
    return long_gone, recent


def snapshot() -> dict:
    return {
        "users": sorted(User.objects.values_list("pk", "email", "first_name", "is_active")),
        "sign_ins": sorted(AccessLog.objects.values_list("username", flat=True)),
        "notifications": sorted(Notification.objects.values_list("dedupe_key", flat=True)),
        "imports": sorted((b.filename, len(b.rows)) for b in ImportBatch.objects.all()),
        "comments": sorted(Evaluation.objects.values_list("rating", "comments")),
        "members": sorted(GovernanceMembership.objects.values_list("external_name", "external_email")),
    }


def test_the_job_applies_each_period_and_a_second_run_changes_nothing(old_and_new):
    long_gone, recent = old_and_new
    with time_machine.travel(TODAY, tick=False):
        first = retention_run()
        after_first = snapshot()
        second = retention_run()
    counts = {step["kind"]: step["count"] for step in first.results}
    assert counts == {"leaver_accounts": 1, "sign_in_attempts": 1, "notifications": 1, "import_files": 2,
                      "evaluation_comments": 1, "external_members": 1}  # fmt: skip
    assert {step["count"] for step in second.results} == {0}
    assert snapshot() == after_first
    assert first.status == second.status == RetentionRun.Status.DONE
    assert User.objects.get(pk=long_gone.pk).is_anonymised and not User.objects.get(pk=recent.pk).is_anonymised
    assert after_first["sign_ins"] == ["new@example.org"]
    assert after_first["notifications"] == ["new"]
    assert after_first["imports"] == [("45.csv", 0), ("5.csv", 1)]
    assert after_first["comments"] == [(5, ""), (5, "Comment 20")]
    assert [name for name, _ in after_first["members"]][1:] == ["Rep 30"]
    assert after_first["members"][0][0].startswith("Former external member")
    # The run log says what it did, with the periods and cut-offs it used.
    leavers = first.results[0]
    assert leavers["months"] == 24 and leavers["cutoff"] == "2025-06-15" and leavers["action"] == "anonymised"


def test_administrators_set_the_periods_and_the_job_uses_them(old_and_new, admin):
    long_gone, _ = old_and_new
    changed = retention_months_set(months={"leaver_accounts": 36, "notifications": 3}, by=admin)
    assert sorted(changed) == ["leaver_accounts", "notifications"]
    assert retention_months()["leaver_accounts"] == 36
    with time_machine.travel(TODAY, tick=False):
        run = retention_run(by=admin)
    counts = {step["kind"]: step["count"] for step in run.results}
    assert counts["leaver_accounts"] == 0 and counts["notifications"] == 2
    assert not User.objects.get(pk=long_gone.pk).is_anonymised
    assert run.trigger == RetentionRun.Trigger.ADMINISTRATOR and run.started_by == admin


def test_a_period_out_of_range_is_refused_and_nothing_is_saved(admin):
    with pytest.raises(PrivacyError, match="between 3 and 120"):
        retention_months_set(months={"leaver_accounts": 12, "notifications": 1}, by=admin)
    assert retention_months()["leaver_accounts"] == 24


def test_the_job_is_on_the_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert entry["task"] == "privacy.tasks.retention_run"
    assert set(retention_months()) == set(RetentionKind.values)


@pytest.mark.worker
def test_the_task_runs_on_a_real_worker(celery_worker, admin):
    from privacy.tasks import retention_run as task

    task.delay()
    wait_for(lambda: RetentionRun.objects.filter(status=RetentionRun.Status.DONE).exists(), "no run finished",
             timeout=60)
    run = RetentionRun.objects.get()
    assert run.finished_at is not None
    assert timezone.now() - run.started_at < dt.timedelta(minutes=5)


def test_a_backlog_of_leavers_is_worked_through_night_by_night(make_user, admin, settings):
    settings.RETENTION_LEAVERS_PER_RUN = 2
    leavers = [make_user() for _ in range(3)]
    for person in leavers:
        person_leave(person=person, left_on=_ago(days=800).date(), by=admin)
    with time_machine.travel(TODAY, tick=False):
        first, second, third = retention_run(), retention_run(), retention_run()
    leaver_steps = [(r.results[0]["count"], r.results[0]["waiting"]) for r in (first, second, third)]
    assert leaver_steps == [(2, 1), (1, 0), (0, 0)]
    assert all(User.objects.get(pk=p.pk).is_anonymised for p in leavers)
