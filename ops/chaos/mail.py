"""Reading what the harness's mail server received (ops/chaos/mailbox.py): one file per message."""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sent:
    to: str
    subject: str
    message_id: str


def read_mailbox(folder: Path) -> list[Sent]:
    sent = []
    for path in sorted(folder.glob("*.eml")):
        if path.name.startswith("."):  # a message still being written (pathlib's glob matches hidden files)
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for to in (message.get("To") or "").split(","):
            sent.append(Sent(to=to.strip().lower(), subject=str(message.get("Subject", "")),
                             message_id=str(message.get("Message-ID", "")).strip()))
    return sent


def copies(sent: list[Sent], *, key=lambda s: s.to) -> Counter:
    """How many messages each key (by default the recipient) received."""
    return Counter(key(s) for s in sent)
