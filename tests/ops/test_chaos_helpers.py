"""The chaos harness's own pieces (ops/chaos/; the harness itself is `make chaos`): its mail server and the
reading of what it received, its time limits and its verdicts."""

import time

import pytest
from django.core.mail import EmailMessage

from ops.chaos.mail import copies, read_mailbox
from ops.chaos.mailbox import FolderBackend
from ops.chaos.report import Clock, Scenario, StepTimeout, markdown


def test_each_message_is_a_whole_file_counted_per_recipient_and_message_id(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAOS_MAIL_DIR", str(tmp_path))
    backend = FolderBackend()
    same = {"Message-ID": "<notification-7@workforce-portal>"}
    sent = backend.send_messages([
        EmailMessage("Reminder: a session", "body", "from@example.org", ["a@example.org"], headers=same),
        EmailMessage("Reminder: a session", "body", "from@example.org", ["a@example.org"], headers=same),
        EmailMessage("Booking confirmed: Safeguarding", "body", "from@example.org", ["B@example.org"]),
    ])
    (tmp_path / ".half-written.eml").write_bytes(b"To: c@example.org\n")  # a message still being written

    mails = read_mailbox(tmp_path)
    assert sent == 3
    assert copies(mails) == {"a@example.org": 2, "b@example.org": 1}
    assert copies(mails, key=lambda m: m.message_id)["<notification-7@workforce-portal>"] == 2
    assert {m.subject for m in mails} == {"Reminder: a session", "Booking confirmed: Safeguarding"}


def test_a_step_past_its_limit_is_stopped_and_named():
    clock = Clock(30)
    try:
        slow = clock.step("the slow step", 0.2, quiet=True)
        with pytest.raises(StepTimeout, match="the slow step: not done within its 0 s"), slow:
            time.sleep(5)
        with clock.step("a quick step", 5, quiet=True):
            time.sleep(0.3)  # the outer limit (30 s) is armed again, not the finished step's
    finally:
        clock.stop()


def test_a_scenario_passes_only_with_every_check_ok_and_no_error(capsys):
    passed, failed, stopped = Scenario(1, "One", "a fault"), Scenario(2, "Two", "a fault"), Scenario(3, "Three", "-")
    passed.check("it held", True)
    failed.check("it held", True)
    failed.check("nothing lost", False, "3 emails missing")
    stopped.check("it held", True)
    stopped.error = "StepTimeout: scenario 3: not done within its 100 s"

    assert [s.verdict for s in (passed, failed, stopped)] == ["PASS", "FAIL", "FAIL"]
    assert not Scenario(4, "Four", "-").passed  # nothing checked is not a pass
    text = markdown([passed, failed, stopped], header=["Run of today."])
    assert "#### 2. Two: **FAIL**" in text
    assert "- **FAILED**: nothing lost — 3 emails missing" in text
    assert "- **stopped**: StepTimeout" in text
