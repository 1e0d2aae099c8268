"""Compliance against the current Core Training Standard: a pure function over three prefetched inputs,
so a matrix of any size costs three queries (docs/training.md gives the rules)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from django.db.models import Max, QuerySet

from core.caching import cached_in

from .models import Completion, Requirement

DUE_SOON_DAYS = 60


class State(StrEnum):
    UP_TO_DATE = "up_to_date"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NEVER_DONE = "never_done"
    NOT_REQUIRED = "not_required"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def css(self) -> str:
        return STATE_CSS[self]

    @property
    def is_gap(self) -> bool:
        return self in (State.DUE_SOON, State.OVERDUE, State.NEVER_DONE)


STATE_LABELS = {
    State.UP_TO_DATE: "Up to date",
    State.DUE_SOON: f"Due within {DUE_SOON_DAYS} days",
    State.OVERDUE: "Overdue",
    State.NEVER_DONE: "Never done",
    State.NOT_REQUIRED: "Not required",
}
STATE_CSS = {
    State.UP_TO_DATE: "rag rag-green",
    State.DUE_SOON: "rag rag-amber",
    State.OVERDUE: "rag rag-red",
    State.NEVER_DONE: "rag rag-red",
    State.NOT_REQUIRED: "rag rag-none",
}
# The states a summary counts, in the order pages show them.
SUMMARY_STATES = (State.UP_TO_DATE, State.DUE_SOON, State.OVERDUE, State.NEVER_DONE)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if day.day <= 28:  # every month has it (the common case, without asking the calendar)
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Inputs -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementRow:
    pk: int
    title: str
    band: int
    refresher_months: int | None
    order: int
    course_ids: frozenset[int]


class PersonRow(NamedTuple):
    pk: int
    name: str
    email: str
    band: int | None
    organisation: str
    organisation_id: int | None
    sector: str
    job_title: str


# --- Outputs ------------------------------------------------------------------------------------------


class Cell(NamedTuple):
    """One person's state for one requirement. Cells are shared between people with the same requirement and
    the same latest completion (immutable), which keeps a 25,000-person matrix cheap."""

    requirement: RequirementRow | None
    state: State
    last_done: dt.date | None = None
    due_on: dt.date | None = None

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def css(self) -> str:
        return self.state.css

    @property
    def detail(self) -> str:
        """What a cell says under its state, e.g. 'Done 3 Mar 2024 · due 3 Mar 2027'."""
        parts = []
        if self.last_done:
            parts.append(f"Done {self.last_done:%-d %b %Y}")
        if self.due_on:
            parts.append(f"{'was due' if self.state == State.OVERDUE else 'due'} {self.due_on:%-d %b %Y}")
        return " · ".join(parts)


@dataclass
class PersonCompliance:
    person: PersonRow
    cells: list[Cell]  # one per column of the matrix, in column order

    @property
    def required(self) -> list[Cell]:
        return [c for c in self.cells if c.state != State.NOT_REQUIRED]

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cells if c.state.is_gap)

    @property
    def is_compliant(self) -> bool:
        return all(c.state in (State.UP_TO_DATE, State.NOT_REQUIRED) for c in self.cells)


@dataclass
class Column:
    """A column of the matrix: requirements sharing a title across bands ('Safeguarding level 1')."""

    title: str
    requirements: dict[int, RequirementRow] = field(default_factory=dict)  # by band number
    counts: dict[State, int] = field(default_factory=lambda: dict.fromkeys(SUMMARY_STATES, 0))

    @property
    def required_count(self) -> int:
        return sum(self.counts.values())

    @property
    def up_to_date_percent(self) -> int | None:
        total = self.required_count
        return round(100 * self.counts[State.UP_TO_DATE] / total) if total else None


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[PersonCompliance]
    today: dt.date
    compliant: int | None = None  # counted by compliance_compute as it goes

    @property
    def compliant_count(self) -> int:
        if self.compliant is None:
            self.compliant = sum(1 for r in self.rows if r.is_compliant)
        return self.compliant

    @property
    def totals(self) -> dict[State, int]:
        totals = dict.fromkeys(SUMMARY_STATES, 0)
        for column in self.columns:
            for state, n in column.counts.items():
                totals[state] += n
        return totals


def matrix_narrowed(matrix: Matrix, *, requirement: str = "", state: str = "") -> Matrix:
    """The people whose cell for `requirement` (a column's title; any column if empty) is in `state` (or, with
    no state, who have that requirement at all). The columns and their counts stay those of everyone."""
    if not requirement and not state:
        return matrix
    indexes = [i for i, column in enumerate(matrix.columns) if not requirement or column.title == requirement]

    def matches(row: PersonCompliance) -> bool:
        cells = [row.cells[i] for i in indexes]
        if state:
            return any(cell.state == state for cell in cells)
        return any(cell.state != State.NOT_REQUIRED for cell in cells)

    return Matrix(columns=matrix.columns, rows=[row for row in matrix.rows if matches(row)], today=matrix.today)


# --- The pure computation ----------------------------------------------------------------------------


def cell_for(requirement: RequirementRow, last_done: dt.date | None, today: dt.date) -> Cell:
    """One person's state for one requirement, given the latest date they completed any of its courses."""
    if last_done is None:
        return Cell(requirement, State.NEVER_DONE)
    if requirement.refresher_months is None:
        return Cell(requirement, State.UP_TO_DATE, last_done)
    due_on = add_months(last_done, requirement.refresher_months)
    if today > due_on:
        state = State.OVERDUE
    elif today >= due_on - dt.timedelta(days=DUE_SOON_DAYS):
        state = State.DUE_SOON
    else:
        state = State.UP_TO_DATE
    return Cell(requirement, state, last_done, due_on)


# Per band: a row of "not required" cells to copy, and the columns the band has a requirement in, each with
# the requirement, its courses as a tuple and the cells made for it so far ({latest date: [cell, how many
# people have it, is it up to date]}): each person costs only their band's requirements, cells are shared,
# and the counts are summed once at the end.
Plan = tuple[list[Cell], list[tuple[int, RequirementRow, tuple[int, ...], dict]]]


def _columns_of(requirements: Iterable[RequirementRow]) -> list[Column]:
    columns: dict[str, Column] = {}
    for requirement in sorted(requirements, key=lambda r: (r.order, r.band, r.title)):
        columns.setdefault(requirement.title, Column(requirement.title)).requirements[requirement.band] = requirement
    return list(columns.values())


def _plan_for(band: int | None, column_list: list[Column]) -> Plan:
    return (
        [Cell(None, State.NOT_REQUIRED)] * len(column_list),
        [(index, r, tuple(r.course_ids), {}) for index, column in enumerate(column_list)
         if (r := column.requirements.get(band))],
    )  # fmt: skip


def _person_cells(plan: Plan, done: dict[int, dt.date] | None, today: dt.date) -> tuple[list[Cell], bool]:
    """One person's row of cells, and whether they are up to date in every one their band requires."""
    blank, required = plan
    cells = blank.copy()
    up_to_date = True
    for index, requirement, course_ids, made in required:
        last = None
        if done is not None:
            for course_pk in course_ids:
                day = done.get(course_pk)
                if day is not None and (last is None or day > last):
                    last = day
        entry = made.get(last)
        if entry is None:
            cell = cell_for(requirement, last, today)
            entry = made[last] = [cell, 0, cell.state is State.UP_TO_DATE]
        entry[1] += 1
        cells[index] = entry[0]
        if not entry[2]:
            up_to_date = False
    return cells, up_to_date


def _count_states(plans: dict[int | None, Plan], column_list: list[Column]) -> None:
    """Each column's people in each state, summed from the cells the plans made."""
    counts = [dict.fromkeys(SUMMARY_STATES, 0) for _ in column_list]
    for _blank, required in plans.values():
        for index, _requirement, _courses, made in required:
            for cell, n, _up in made.values():
                counts[index][cell.state] += n
    for column, column_counts in zip(column_list, counts, strict=True):
        column.counts = column_counts


def compliance_compute(
    *,
    people: Iterable[PersonRow],
    requirements: Iterable[RequirementRow],
    latest: dict[tuple[int, int], dt.date],
    today: dt.date,
) -> Matrix:
    """The matrix: one row per person, one column per requirement title. No database access."""
    column_list = _columns_of(requirements)
    plans: dict[int | None, Plan] = {}
    done_by_person: dict[int, dict[int, dt.date]] = {}
    for (person_pk, course_pk), day in latest.items():
        done_by_person.setdefault(person_pk, {})[course_pk] = day
    rows = []
    compliant = 0
    for person in people:
        plan = plans.get(person.band)
        if plan is None:
            plan = plans[person.band] = _plan_for(person.band, column_list)
        cells, up_to_date = _person_cells(plan, done_by_person.get(person.pk), today)
        compliant += up_to_date
        rows.append(PersonCompliance(person, cells))
    _count_states(plans, column_list)
    return Matrix(column_list, rows, today, compliant)


# --- The three queries ---------------------------------------------------------------------------------


# The standard, as compliance and the catalogue read it (requirements, versions, bands, facets): made stale by
# training.receivers whenever it changes.
STANDARD_NAMESPACE = "training:standard"
REQUIREMENTS_KEY = "training:requirements-current"


def requirement_rows_current() -> list[RequirementRow]:
    """The current version's requirements with their course ids. One query, kept in the cache (dropped by
    training.receivers when the standard changes)."""
    return cached_in(STANDARD_NAMESPACE, REQUIREMENTS_KEY, _requirement_rows_current)


def _requirement_rows_current() -> list[RequirementRow]:
    found: dict[int, dict] = {}
    for row in Requirement.objects.filter(version__is_current=True).values(
        "pk", "title", "band__number", "refresher_months", "order", "courses__id"
    ):
        entry = found.setdefault(row["pk"], {**row, "course_ids": set()})
        if row["courses__id"] is not None:
            entry["course_ids"].add(row["courses__id"])
    return [
        RequirementRow(e["pk"], e["title"], e["band__number"], e["refresher_months"], e["order"],
                       frozenset(e["course_ids"]))
        for e in found.values()
    ]


PERSON_FIELDS = (
    "pk", "first_name", "last_name", "email", "profile__cts_band", "profile__organisation_id",
    "profile__organisation__name", "profile__organisation__sector__name", "profile__job_title",
)


def person_rows(people: QuerySet) -> list[PersonRow]:
    """People (a User queryset) as plain rows. One query."""
    return [
        PersonRow(pk, f"{first} {last}".strip() or email, email, band, organisation or "", organisation_id,
                  sector or "", job_title or "")
        for pk, first, last, email, band, organisation_id, organisation, sector, job_title
        in people.values_list(*PERSON_FIELDS)
    ]


def latest_completions(
    *, people: QuerySet, course_ids: Iterable[int], today: dt.date
) -> dict[tuple[int, int], dt.date]:
    """The latest completion date per (person, course) of these courses. One grouped query."""
    course_ids = sorted(set(course_ids))
    if not course_ids:
        return {}
    rows = (
        Completion.objects.filter(person__in=people.values("pk"), course_id__in=course_ids, completed_on__lte=today)
        .values_list("person_id", "course_id")
        .annotate(last=Max("completed_on"))
        .order_by()
    )
    return {(person_id, course_id): last for person_id, course_id, last in rows}


def compliance_matrix(*, people: QuerySet, today: dt.date) -> Matrix:
    """Compliance of these people (a User queryset, any scope) against the current standard. Three queries."""
    requirements = requirement_rows_current()
    rows = person_rows(people.order_by("last_name", "first_name", "pk"))
    bands = {r.band for r in rows}
    requirements = [r for r in requirements if r.band in bands] if rows else []
    course_ids = {c for r in requirements for c in r.course_ids}
    latest = latest_completions(people=people, course_ids=course_ids, today=today)
    return compliance_compute(people=rows, requirements=requirements, latest=latest, today=today)


def compliance_of(*, person, today: dt.date) -> PersonCompliance | None:
    """One person's compliance: only the requirements of their band (no 'not required' cells). One query when
    the person's profile, organisation and sector are loaded already (the signed-in person's are), two if not."""
    from django.contrib.auth import get_user_model

    people = get_user_model().objects.filter(pk=person.pk)
    loaded = _person_row_loaded(person)
    if loaded is None:
        matrix = compliance_matrix(people=people, today=today)
    else:
        requirements = [r for r in requirement_rows_current() if r.band == loaded.band]
        latest = latest_completions(people=people, course_ids={c for r in requirements for c in r.course_ids},
                                    today=today)
        matrix = compliance_compute(people=[loaded], requirements=requirements, latest=latest, today=today)
    if not matrix.rows:
        return None
    row = matrix.rows[0]
    row.cells = row.required
    return row


def _person_row_loaded(person) -> PersonRow | None:
    """The person's row from what is loaded on them (profile → organisation → sector), or None if not all is."""
    profile = person._state.fields_cache.get("profile")
    if profile is None or "organisation" not in profile._state.fields_cache:
        return None
    organisation = profile.organisation
    if organisation is not None and "sector" not in organisation._state.fields_cache:
        return None
    name = f"{person.first_name} {person.last_name}".strip() or person.email
    return PersonRow(person.pk, name, person.email, profile.cts_band, organisation.name if organisation else "",
                     profile.organisation_id, organisation.sector.name if organisation else "", profile.job_title)


def courses_for_gaps(row: PersonCompliance) -> dict[int, list]:
    """For each requirement the person has a gap in: the active courses that meet it (to book). One query."""
    from .models import Course

    wanted = {c for cell in row.cells if cell.state.is_gap and cell.requirement for c in cell.requirement.course_ids}
    courses = {c.pk: c for c in Course.objects.filter(pk__in=wanted, is_active=True).order_by("title")}
    return {
        cell.requirement.pk: [c for c in courses.values() if c.pk in cell.requirement.course_ids]
        for cell in row.cells
        if cell.state.is_gap and cell.requirement
    }


def requirement_lines(row: PersonCompliance, *, courses: dict[int, list], bookings: Iterable) -> list[tuple]:
    """My training's table: (cell, courses to book, the person's upcoming booking that meets it or None)."""
    booked = {}
    for booking in bookings:  # soonest first: keep the first per course
        booked.setdefault(booking.session.course_id, booking)
    lines = []
    for cell in row.cells:
        ids = cell.requirement.course_ids if cell.requirement else ()
        booking = next((booked[c] for c in ids if c in booked), None) if cell.state.is_gap else None
        lines.append((cell, courses.get(cell.requirement.pk, []) if cell.requirement else [], booking))
    return lines
