"""Reporting quarters. The partnership reports on the financial year: Q1 is April to June."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True, order=True)
class Quarter:
    start: dt.date
    end: dt.date

    @property
    def number(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def financial_year(self) -> str:
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}/{str(first + 1)[-2:]}"

    @property
    def label(self) -> str:
        """e.g. "Q3 2026/27"."""
        return f"Q{self.number} {self.financial_year}"

    @property
    def months(self) -> str:
        """e.g. "October to December 2026"."""
        return f"{MONTHS[self.start.month - 1]} to {MONTHS[self.end.month - 1]} {self.end.year}"

    @property
    def long_label(self) -> str:
        return f"{self.label}: {self.months}"

    @property
    def key(self) -> str:
        """For URLs and forms: the first day, e.g. "2026-10-01"."""
        return self.start.isoformat()

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def quarter_containing(day: dt.date) -> Quarter:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    next_start = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return Quarter(start, next_start - dt.timedelta(days=1))


def quarter_previous(day: dt.date) -> Quarter:
    """The last quarter that ended before `day`."""
    return quarter_containing(quarter_containing(day).start - dt.timedelta(days=1))


def quarter_from_key(key: str) -> Quarter:
    """The quarter starting on the ISO date `key`; ValueError when it is not a quarter's first day."""
    start = dt.date.fromisoformat(key)
    quarter = quarter_containing(start)
    if quarter.start != start:
        raise ValueError(f"{key} is not the first day of a quarter")
    return quarter


def quarters_between(first: dt.date, last: dt.date) -> list[Quarter]:
    """Every quarter from the one containing `first` to the one containing `last`, newest first."""
    out = []
    quarter = quarter_containing(last)
    while quarter.end >= first:
        out.append(quarter)
        quarter = quarter_containing(quarter.start - dt.timedelta(days=1))
    return out
