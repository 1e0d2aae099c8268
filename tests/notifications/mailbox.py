"""A mail server stand-in for worker processes: each message a file in $TEST_MAILBOX_DIR, so a test can count
what every process sent. With $TEST_MAILBOX_DELAY_ONCE the first message any process sends waits that many
seconds before it is accepted (a slow server), which gives a test the moment to kill the worker mid-send;
$TEST_MAILBOX_DELAY_EACH makes every message take that long."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["TEST_MAILBOX_DIR"])
        delay = float(os.environ.get("TEST_MAILBOX_DELAY_ONCE") or 0)
        each = float(os.environ.get("TEST_MAILBOX_DELAY_EACH") or 0)
        for message in email_messages:
            marker = folder / ".first-send-delayed"
            if delay and not marker.exists():
                marker.touch()
                time.sleep(delay)
            time.sleep(each)
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(email_messages)
