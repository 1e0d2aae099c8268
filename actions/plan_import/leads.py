"""Leads as plans write them ("Head of Service & Principal Social Worker"), each part matched to a person,
a governance body or an external lead; pure functions over a `Directory`, testable without a database."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

PERSON = "person"
BODY = "body"
EXTERNAL = "external"

HARD_SEPARATORS = re.compile(r"\s*(?:;|&|\+|/|\n|,)\s*")
AND = re.compile(r"\s+and\s+", re.IGNORECASE)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ROLE_WORDS = re.compile(r"\b(head|manager|lead|leads|officer|director|coordinator|co-ordinator|worker|board|group|"
                        r"team|service|services|partnership|council|trust|nurse|chair|adviser|advisor|practitioner|"
                        r"commissioner|consultant|principal|designated|panel|forum|network)\b", re.IGNORECASE)


def normalise(text: str) -> str:
    text = re.sub(r"[^\w@.&' -]", " ", text.lower())
    text = re.sub(r"^the\s+", "", " ".join(text.split()))
    return text.strip(" .")


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """Someone or something a lead cell may name: a person's (pk, label) or a body's with its term."""

    kind: str
    pk: int
    label: str
    start: date | None = None
    end: date | None = None


@dataclass
class Directory:
    """The partnership's people and bodies, indexed by every name a plan might use for them."""

    names: dict[str, list[Candidate]] = field(default_factory=dict)

    def add(self, candidate: Candidate, *keys: str) -> None:
        for key in {normalise(k) for k in keys if k and k.strip()}:
            entries = self.names.setdefault(key, [])
            if candidate not in entries:
                entries.append(candidate)

    def knows(self, text: str) -> bool:
        return normalise(text) in self.names

    def find(self, text: str) -> list[Candidate]:
        return self.names.get(normalise(text), [])


@dataclass(frozen=True)
class LeadMatch:
    """One lead as written and what it was matched to; `note` explains a guess or a refusal."""

    text: str
    kind: str
    pk: int | None = None
    label: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "pk": self.pk, "label": self.label, "note": self.note}


def _looks_like_a_lead(text: str, directory: Directory | None) -> bool:
    return bool(ROLE_WORDS.search(text) or EMAIL.fullmatch(text) or (directory is not None and directory.knows(text)))


def split_leads(text: str, directory: Directory | None = None) -> list[str]:
    """Split on ; & + / , and line breaks; "and" splits only between known names or role-like phrases."""
    parts: list[str] = []
    for chunk in HARD_SEPARATORS.split(text or ""):
        chunk = chunk.strip(" .")
        if not chunk:
            continue
        if directory is not None and directory.knows(chunk):
            parts.append(chunk)
            continue
        pieces = [p.strip(" .") for p in AND.split(chunk) if p.strip(" .")]
        if len(pieces) > 1 and not all(_looks_like_a_lead(p, directory) for p in pieces):
            parts.append(chunk)  # "Quality and Performance Manager" stays one lead unless both halves are known
        else:
            parts.extend(pieces)
    return parts


def _within_term(candidate: Candidate, on: date | None) -> bool:
    if on is None:
        return candidate.end is None
    return (candidate.start is None or candidate.start <= on) and (candidate.end is None or candidate.end >= on)


def match_lead(text: str, directory: Directory, *, on: date | None = None) -> LeadMatch:
    """A person if exactly one has that email, name or job title; a body in its term on `on`; else external."""
    found = directory.find(text)
    people = [c for c in found if c.kind == PERSON]
    bodies = [c for c in found if c.kind == BODY]
    if len(people) == 1:
        return LeadMatch(text, PERSON, people[0].pk, people[0].label)
    if bodies:
        body = bodies[0]
        if _within_term(body, on):
            return LeadMatch(text, BODY, body.pk, body.label)
        when = f" on {on:%-d %b %Y}" if on else " now"
        return LeadMatch(text, EXTERNAL, label=text, note=f"{body.label} did not meet{when}: kept as an external lead.")
    if len(people) > 1:
        names = ", ".join(sorted(c.label for c in people))
        return LeadMatch(text, EXTERNAL, label=text, note=f"{len(people)} people match ({names}): choose one.")
    note = "No account has this email: kept as an external lead." if EMAIL.fullmatch(text.strip()) else ""
    return LeadMatch(text, EXTERNAL, label=text, note=note or "Not a person or body in the portal: external lead.")


def match_leads(text: str, directory: Directory, *, on: date | None = None) -> list[LeadMatch]:
    return [match_lead(part, directory, on=on) for part in split_leads(text, directory)]
