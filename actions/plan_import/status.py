"""A status cell as plans write it (Red/Amber/Green, "Completed April 2010", a tick, "P", "40%")."""

import re
from dataclasses import dataclass
from datetime import date

from .timescales import TimescaleError, parse_timescale

TICKS = {"✓", "✔", "√", "☑", "x", "y", "yes", "done", "complete", "completed", "achieved", "met"}
IN_PROGRESS = {"p", "in progress", "progressing", "started", "on track", "ongoing", "on-going"}
RAG = {"r": "red", "red": "red", "a": "amber", "amber": "amber", "g": "green", "green": "green",
       "dropped": "dropped", "withdrawn": "dropped", "not started": ""}


class StatusError(ValueError):
    """The status cell cannot be read; the message says what can."""


@dataclass(frozen=True)
class ImportedStatus:
    status: str
    percent: int
    as_at: date | None


def parse_status(text: str) -> ImportedStatus | None:
    """None for a blank cell (or "not started"); raises StatusError for anything it cannot read."""
    norm = " ".join(text.lower().split()).strip(" .")
    if not norm or RAG.get(norm) == "":
        return None
    if norm in RAG:
        return ImportedStatus(RAG[norm], 100 if RAG[norm] == "completed" else 0, None)
    if norm in TICKS:
        return ImportedStatus("completed", 100, None)
    if norm in IN_PROGRESS:
        return ImportedStatus("green", 0, None)
    percent = re.fullmatch(r"(\d{1,3})\s*%(?:\s*complete)?", norm)
    if percent and int(percent.group(1)) <= 100:
        value = int(percent.group(1))
        return ImportedStatus("completed" if value == 100 else "green", value, None)
    done = re.fullmatch(r"(?:completed?|done|achieved)\s*(?:in|on)?\s+(.+)", norm)
    if done:
        try:
            return ImportedStatus("completed", 100, parse_timescale(done.group(1)).due)
        except TimescaleError:
            pass
    raise StatusError(f"Status {text.strip()!r} is not understood: write Red, Amber, Green, Completed (with a date, "
                      "e.g. \"Completed April 2010\"), a tick, \"P\" (in progress) or a percentage.")
