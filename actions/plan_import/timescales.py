"""Timescales as plans write them ("June – November 2010", "2016/17", "On-going"), read into dates; the
text is kept as written. Grammar: docs/actions.md."""

import calendar
import re
from dataclasses import dataclass
from datetime import date


class TimescaleError(ValueError):
    """The text is not a timescale this parser knows; the message says what it understands."""


ONGOING = "ongoing"
RECURRING = "recurring"
DATED = "dated"
NONE = "none"


@dataclass(frozen=True)
class Timescale:
    """What a timescale means: a start and a due date, or ongoing (never overdue), or recurring."""

    kind: str
    start: date | None = None
    due: date | None = None

    def describe(self) -> str:
        if self.kind == ONGOING:
            return "Ongoing: no due date" + (f" (from {self.start:%-d %b %Y})" if self.start else "")
        if self.kind == RECURRING:
            return "Recurring: no single due date"
        if self.kind == NONE:
            return "No timescale"
        start = f"{self.start:%-d %b %Y} – " if self.start and self.start != self.due else ""
        return f"{start}due {self.due:%-d %b %Y}"


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}
ONGOING_WORDS = {"ongoing", "on-going", "on going", "continuous", "continuing", "throughout", "as required",
                 "as needed", "ongoing throughout"}
RECURRING_WORDS = {"quarterly", "monthly", "annually", "annual", "yearly", "termly", "weekly", "bi-monthly",
                   "bimonthly", "six-monthly", "six monthly", "biannually", "bi-annually", "each term", "every term",
                   "every quarter", "each quarter", "every year", "each year", "every month", "each month"}
QUALIFIERS = re.compile(r"\b(initially|approx\.?|approximately|provisional(ly)?|and beyond)\b|[()]")
LEADS = re.compile(r"^(by|by end of|by the end of|end of|the end of|before|from|during|in|completed|complete|due)\s+")
DASH = re.compile(r"\s*(?:–|—|-|\bto\b|\buntil\b|\btill\b)\s*")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(text: str) -> int:
    number = int(text)
    return number + 2000 if number < 100 else number


def _normalise(text: str) -> str:
    text = " ".join(text.replace("\u2013", "–").replace("\u2014", "—").lower().split())
    text = QUALIFIERS.sub(" ", text)
    text = " ".join(text.split()).strip(" .,;:")
    previous = None
    while previous != text:
        previous, text = text, LEADS.sub("", text)
    return text


def _exact(text: str) -> date | None:
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", "ymd"), (r"(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})", "dmy")):
        found = re.fullmatch(pattern, text)
        if found:
            a, b, c = found.groups()
            year, month, day = (int(a), int(b), int(c)) if order == "ymd" else (_year(c), int(b), int(a))
            try:
                return date(year, month, day)
            except ValueError:
                raise TimescaleError(f"{text!r} is not a date in the calendar.") from None
    found = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH})\s+(\d{{4}})", text)
    if found:
        return date(int(found.group(3)), MONTHS[found.group(2)], int(found.group(1)))
    return None


def _point(text: str) -> tuple[date, date] | None:
    """A single period: a date, a month, a season, a quarter, a financial year or a year, as (first, last day)."""
    day = _exact(text)
    if day:
        return day, day
    found = re.fullmatch(rf"({MONTH})\.?,?\s*'?(\d{{4}}|\d{{2}})", text)
    if found:
        year, month = _year(found.group(2)), MONTHS[found.group(1)]
        return date(year, month, 1), _month_end(year, month)
    found = re.fullmatch(r"q([1-4])\s*(\d{4})\s*/\s*(\d{2}|\d{4})", text)
    if found:  # financial quarters: Q1 is April to June
        quarter, year = int(found.group(1)), int(found.group(2))
        first_month = 4 + 3 * (quarter - 1)
        year, first_month = (year + 1, first_month - 12) if first_month > 12 else (year, first_month)
        return date(year, first_month, 1), _month_end(year, first_month + 2)
    found = re.fullmatch(r"(\d{4})\s*/\s*(\d{2}|\d{4})|(\d{4})-(\d{2})", text)
    if found:
        first, second = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
        if _year(second) % 100 == (int(first) + 1) % 100:
            return date(int(first), 4, 1), date(int(first) + 1, 3, 31)
        raise TimescaleError(f"{text!r} is not a financial year: write it like 2016/17.")
    found = re.fullmatch(r"(spring|summer|autumn|winter)\s+(\d{4})", text)
    if found:
        first_month, last_month = SEASONS[found.group(1)]
        year = int(found.group(2))
        return date(year, first_month, 1), _month_end(year + (1 if last_month < first_month else 0), last_month)
    found = re.fullmatch(r"(\d{4})", text)
    if found:
        return date(int(text), 1, 1), date(int(text), 12, 31)
    return None


def _range(text: str) -> tuple[date, date] | None:
    """ "January to April 2010", "November 2009 – June 2010", "2010 – 2013": the left side borrows the right's year."""
    parts = [p for p in DASH.split(text, maxsplit=1) if p]
    if len(parts) != 2:
        return None
    left, right = parts
    end = _point(right)
    if end is None:
        return None
    start = _point(left)
    if start is None and left in MONTHS:
        month = MONTHS[left]
        year = end[1].year - (1 if month > end[1].month else 0)
        start = (date(year, month, 1), _month_end(year, month))
    if start is None or start[0] > end[1]:
        return None
    return start[0], end[1]


def _several(text: str) -> Timescale | None:
    """ "July 2010 & October 2010" runs from the first to the last; "February, June and October" recurs."""
    parts = [p.strip() for p in re.split(r"\s*(?:,|&|\band\b|\+)\s*", text) if p.strip()]
    if len(parts) < 2:
        return None
    if all(p in MONTHS for p in parts):
        return Timescale(RECURRING)
    points = [_point(p) for p in parts]
    if any(p is None for p in points):
        return None
    dated = [p for p in points if p is not None]
    return Timescale(DATED, min(p[0] for p in dated), max(p[1] for p in dated))


def parse_timescale(text: str) -> Timescale:
    """Read a timescale; raises TimescaleError for text it cannot read (the importer reports the cell)."""
    norm = _normalise(text)
    if not norm:
        return Timescale(NONE)
    if norm in ONGOING_WORDS:
        return Timescale(ONGOING)
    if norm in RECURRING_WORDS or norm.rstrip("s") in RECURRING_WORDS:
        return Timescale(RECURRING)
    onwards = re.fullmatch(r"(.+?)\s+(onwards|onward|and ongoing|then ongoing|ongoing)", norm)
    if onwards:
        start = _point(onwards.group(1))
        if start:
            return Timescale(ONGOING, start=start[0])
    span = _point(norm)
    if span:  # a month or a day is when it is due; a longer period (a year, a quarter) also says when it starts
        return Timescale(DATED, span[0] if (span[1] - span[0]).days > 31 else None, span[1])
    span = _range(norm)
    if span:
        return Timescale(DATED, span[0], span[1])
    several = _several(norm)
    if several:
        return several
    raise TimescaleError(f"Timescale {text.strip()!r} is not understood: write e.g. \"March 2010\", "
                         "\"June – November 2010\", \"2016/17\", \"Q3 2016/17\", \"31/03/2017\" or \"On-going\".")


BRACKETED = re.compile(rf"\(\s*((?:{MONTH})\.?\s*'?\d{{2,4}}|\d{{4}}/\d{{2}}|q[1-4]\s*\d{{4}}/\d{{2}})\s*\)\s*$",
                       re.IGNORECASE)


def bracketed_milestones(description: str) -> list[tuple[str, date]]:
    """Bullets ending in a date in brackets ("Audit leaflets (March 17)") as (milestone title, due date)."""
    found = []
    for line in description.splitlines():
        text = line.strip().lstrip("•*-–·o ").strip()
        match = BRACKETED.search(text)
        if not match:
            continue
        span = _point(_normalise(match.group(1)))
        title = text[: match.start()].strip(" ,;:.")
        if span and title:
            found.append((title[:300], span[1]))
    return found
