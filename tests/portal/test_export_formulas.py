"""Every CSV and XLSX export, read back, holds no cell a spreadsheet would run as a formula, whatever people typed.

Formula-like text (each of =, +, -, @, tab and carriage return in front) goes into every text field that reaches
an export — names, emails, organisation and sector names, job titles, requirement titles (the compliance
headers), venues, action titles, themes, leading groups, commentary — and every export is read back: a CSV with
the csv module, a workbook with openpyxl."""

import csv
import datetime as dt
import io
from itertools import count

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Status, StatusUpdate
from core.exports import FORMULA_STARTS
from core.roles import Role
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.partners.factories import GovernanceBodyFactory, OrganisationFactory, SectorFactory
from tests.training.factories import (
    BandFactory,
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
)

pytestmark = pytest.mark.django_db

_numbers = count()


def evil() -> str:
    """The next formula, each prefix in turn, each one different (so each can be found where it went)."""
    n = next(_numbers)
    return f'{FORMULA_STARTS[n % len(FORMULA_STARTS)]}HYPERLINK("https://evil.example/{n}","Click")'


@pytest.fixture
def world(make_user):
    planted: dict[str, list[str]] = {}

    def plant(export: str, *texts: str) -> None:
        planted.setdefault(export, []).extend(texts)

    organisation = OrganisationFactory(name=evil(), sector=SectorFactory(name=evil()))
    manager = make_user(email="@boss@evil.example", first_name=evil(), last_name=evil(),
                        profile={"organisation": organisation})
    people = [
        make_user(first_name=evil(), last_name=evil(), email=f"{prefix}person{n}@evil.example",
                  profile={"organisation": organisation, "job_title": evil(), "employee_ref": evil(),
                           "line_manager": manager, "cts_band": 3})
        for n, prefix in enumerate("=+-")
    ]  # fmt: skip
    everyone_text = [organisation.name] + [text for p in people for text in (p.first_name, p.last_name, p.email,
                                                                              p.profile.job_title)]  # fmt: skip
    plant("staff", *everyone_text, *(p.profile.employee_ref for p in people), manager.email)
    plant("attendees", *everyone_text)
    plant("history", *everyone_text)
    plant("compliance", *everyone_text, organisation.sector.name)

    course = CourseFactory(title=evil(), code="EVIL1")
    version = StandardVersionFactory()
    requirement = RequirementFactory(version=version, band=BandFactory(number=3), title=evil(), courses=[course],
                                     refresher_months=36)
    plant("compliance", requirement.title)
    session = SessionFactory(course=course, venue_name=evil(), start=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC))
    plant("history", session.venue_name)
    for person in people:
        BookingFactory(session=session, person=person)
    CompletionFactory(person=people[0], course=course)

    body = GovernanceBodyFactory(name=evil())
    theme = ThemeFactory(strategy=StrategyFactory(), title=evil())
    action = ActionFactory(theme=theme, title=evil(), description=evil(), leads=people[:2], leading_body=body,
                           timescale=evil(), priorities=evil(), performance_measures=evil())
    StatusUpdate.objects.create(action=action, status=Status.GREEN, percent_complete=10, commentary=evil(),
                                created_by=manager)
    plan_text = [theme.title, action.title, action.description, body.name, action.timescale, action.priorities,
                 action.performance_measures, action.updates.get().commentary, people[0].email, people[0].first_name]
    plant("plan.csv", *plan_text)
    plant("plan.xlsx", *plan_text)
    return {"session": session, "course": course, "strategy": theme.strategy, "planted": planted}


def _mark(text: str) -> str:
    """What identifies a planted text wherever it went (a name may be trimmed into a full name): its address, or
    an email without its prefix."""
    return text.split("https://")[1].split('"')[0] if "https://" in text else text.lstrip("".join(FORMULA_STARTS))


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row]


def test_no_export_holds_a_cell_that_runs_as_a_formula(client, make_user, world):
    client.force_login(make_user(Role.ADMINISTRATOR))
    csvs = {
        "staff": b"".join(client.get(reverse("workforce:staff_export")).streaming_content),
        "attendees": client.get(reverse("training:session_attendees_export", args=[world["session"].pk])).content,
        "history": client.get(reverse("training:course_history_export", args=[world["course"].pk])).content,
        "compliance": client.get(reverse("training:compliance_all_export")).content,
        "plan.csv": client.get(reverse("actions:export", args=[world["strategy"].pk, "csv"])).content,
    }
    for name, content in csvs.items():
        cells = _csv_cells(content)
        for text in world["planted"][name]:  # each formula reached the file (so the test can fail)...
            assert any(_mark(text) in cell for cell in cells), (name, text)
        for cell in cells:  # ...and none of them as a formula: each starts with the apostrophe instead
            assert not cell.startswith(FORMULA_STARTS), (name, cell)

    content = client.get(reverse("actions:export", args=[world["strategy"].pk, "xlsx"])).content
    book = load_workbook(io.BytesIO(content))
    values = []
    for sheet in book.worksheets:
        assert not sheet.title.startswith((*FORMULA_STARTS, "'")), sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str) and cell.value.lstrip("'").startswith(FORMULA_STARTS):
                    # a text cell that Excel keeps text even when it is edited
                    assert (cell.data_type, cell.quotePrefix) == ("s", True), (cell.coordinate, cell.value)
                values.append(str(cell.value))
    for text in world["planted"]["plan.xlsx"]:
        assert any(_mark(text) in value for value in values), text
