"""A mail server stand-in for worker processes: each message a file in $TEST_MAILBOX_DIR, so a test can count
what every process sent. With $TEST_MAILBOX_HOLD_FIRST the first message any process sends is held (a server
that does not answer) until the test kills the worker, for at most that many seconds; the file HELD marks it."""

import os
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

from tests.waiting import wait_for

HELD = ".first-send-held"  # exists once a worker is inside the held send
RELEASE = ".release"  # never written by today's tests: they kill the worker holding the send


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["TEST_MAILBOX_DIR"])
        hold = float(os.environ.get("TEST_MAILBOX_HOLD_FIRST") or 0)
        for message in email_messages:
            held = folder / HELD
            if hold and not held.exists():
                held.touch()
                wait_for((folder / RELEASE).exists, "the test neither killed the worker nor released its send",
                         timeout=hold)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
