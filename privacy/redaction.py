"""Replacing one person's names, emails and phone wherever text holds them, history tables included:
every app's anonymiser gets a `Redactor` (docs/privacy.md)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

PLACEHOLDER_FIRST_NAME = "Former staff member"
PLACEHOLDER_EMAIL_DOMAIN = "anonymised.invalid"  # .invalid never resolves (RFC 2606): nothing can be sent there
REMOVED = "[removed]"
MIN_NEEDLE = 4  # shorter strings (initials, "Al") would rewrite unrelated words


def placeholder_for(pk: int) -> tuple[str, str, str]:
    """(first name, last name, email) that replace a person's own: stable, and unique per account."""
    return PLACEHOLDER_FIRST_NAME, str(pk), f"former-staff-{pk}@{PLACEHOLDER_EMAIL_DOMAIN}"


@dataclass
class Redactor:
    pk: int
    names: set[str] = field(default_factory=set)  # full names, as "First Last" and "Last, First"
    emails: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)  # phone numbers, HR references

    def __post_init__(self) -> None:
        self.first_name, self.last_name, self.email = placeholder_for(self.pk)
        self.name = f"{self.first_name} {self.last_name}"
        replacements: dict[str, str] = {}
        for email in self.emails:
            replacements[email.lower()] = self.email
        for name in self.names:
            replacements[name.lower()] = self.name
        for other in self.others:
            replacements[other.lower()] = REMOVED
        self.replacements = {k: v for k, v in replacements.items() if len(k) >= MIN_NEEDLE}
        # Longest first, so "Jane Smith" goes before a shorter needle inside it.
        needles = sorted(self.replacements, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE) if needles else None

    @classmethod
    def for_person(cls, *, pk: int, first_names: Iterable[str], last_names: Iterable[str], emails: Iterable[str],
                   others: Iterable[str] = ()) -> "Redactor":  # fmt: skip
        pairs = {(first.strip(), last.strip()) for first, last in zip(first_names, last_names, strict=True)}
        names = {f"{first} {last}".strip() for first, last in pairs}
        names |= {f"{last}, {first}" for first, last in pairs if first and last}
        return cls(pk=pk, names=names, emails={e for e in emails if e}, others={o for o in others if o})

    @property
    def needles(self) -> list[str]:
        return list(self.replacements)

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(lambda m: self.replacements[m.group(0).lower()], text)

    def json(self, value: Any) -> Any:
        """The same for a JSON value: every string in it, keys left alone."""
        if isinstance(value, str):
            return self(value)
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, dict):
            return {key: self.json(item) for key, item in value.items()}
        return value

    def q(self, *fields: str, prefix: str = "") -> Q:
        """Rows where any of the fields holds any of the person's identifiers: one case-insensitive regular
        expression per field (a single pass of each column on PostgreSQL, where `re.escape`'s escapes mean
        the same), rather than one LIKE per identifier."""
        q = Q(pk__in=[])
        if self.pattern is None:
            return q
        for name in fields:
            q |= Q(**{f"{prefix}{name}__iregex": self.pattern.pattern})
        return q

    def rewrite(self, queryset: QuerySet, fields: list[str]) -> int:
        """Rewrite text fields of the rows that name the person; returns how many rows changed."""
        if self.pattern is None:
            return 0
        changed = []
        for row in queryset.filter(self.q(*fields)).only(queryset.model._meta.pk.name, *fields):
            for name in fields:
                setattr(row, name, self(getattr(row, name)))
            changed.append(row)
        if changed:
            queryset.model._default_manager.bulk_update(changed, fields, batch_size=500)
        return len(changed)

    def rewrite_json(self, queryset: QuerySet, fields: list[str]) -> int:
        """The same for JSON fields (matched on their text)."""
        if self.pattern is None:
            return 0
        annotations = {f"{name}_as_text": Cast(name, TextField()) for name in fields}
        rows = queryset.annotate(**annotations).filter(self.q(*[f"{name}_as_text" for name in fields]))
        changed = []
        for row in rows.only(queryset.model._meta.pk.name, *fields):
            for name in fields:
                setattr(row, name, self.json(getattr(row, name)))
            changed.append(row)
        if changed:
            queryset.model._default_manager.bulk_update(changed, fields, batch_size=500)
        return len(changed)
