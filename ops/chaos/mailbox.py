"""The harness's mail server: each message a file of its own in $CHAOS_MAIL_DIR, so every email any process
sent can be counted per recipient and per Message-ID (ops/chaos/mail.py reads them).

A message appears whole or not at all (written to a hidden file, then renamed), even when its worker is killed
with SIGKILL. A number of seconds in the folder's `.delay` file makes each message that slow to send: half
before the server accepts it and half after (the reply still on its way), so a worker killed mid-sweep dies
in both windows — before the message exists, and after it exists but before it is marked sent.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def _delay(folder: Path) -> float:
    try:
        return max(0.0, float((folder / ".delay").read_text()))
    except (OSError, ValueError):
        return 0.0


class FolderBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        folder = Path(os.environ["CHAOS_MAIL_DIR"])
        for message in email_messages:
            delay = _delay(folder)
            time.sleep(delay / 2)
            name = f"{time.time():.6f}-{uuid.uuid4().hex}.eml"
            hidden = folder / f".{name}"
            hidden.write_bytes(message.message().as_bytes())
            os.replace(hidden, folder / name)
            time.sleep(delay / 2)
        return len(email_messages)
