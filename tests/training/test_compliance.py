"""Compliance against the current standard: the states at their boundaries, and the matrix's scopes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.training.factories import (
    BandFactory,
    CompletionFactory,
    CourseFactory,
    RequirementFactory,
    StandardVersionFactory,
)
from training.compliance import State, add_months, compliance_matrix, compliance_of
from training.models import StandardVersion

pytestmark = pytest.mark.django_db

User = get_user_model()
DONE = dt.date(2023, 3, 15)  # with a 36-month refresher, due on 15 March 2026


def requirement(**kwargs):
    """A requirement of the current version (made once)."""
    if "version" not in kwargs:
        kwargs["version"] = StandardVersion.objects.filter(is_current=True).first() or StandardVersionFactory()
    return RequirementFactory(**kwargs)


def state_on(person, day: dt.date, title: str) -> State:
    row = compliance_of(person=person, today=day)
    return next(cell.state for cell in row.cells if cell.requirement.title == title)


@pytest.fixture
def safeguarding(practitioner):
    course = CourseFactory(title="Safeguarding level 2")
    requirement(band=BandFactory(number=3), title="Safeguarding", refresher_months=36, courses=[course])
    return course


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 1, 13), State.UP_TO_DATE),  # 61 days before it is due
        (dt.date(2026, 1, 14), State.DUE_SOON),  # exactly 60 days before
        (dt.date(2026, 3, 15), State.DUE_SOON),  # the day it is due
        (dt.date(2026, 3, 16), State.OVERDUE),  # the day after
    ],
)
def test_refresher_states_at_the_boundaries(client, practitioner, safeguarding, today, expected):
    CompletionFactory(person=practitioner, course=safeguarding, completed_on=DONE)
    client.force_login(practitioner)
    # 23:30 in London on the day (BST from 29 March): the local date is what counts, not UTC's.
    late_evening = dt.datetime.combine(today, dt.time(23, 30), tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(late_evening, tick=False):
        assert state_on(practitioner, timezone.localdate(), "Safeguarding") == expected
        page = client.get(reverse("training:my_training")).content.decode()
    assert f'<span class="{expected.css}">{expected.label}</span>' in page
    assert "15 Mar 2026" in page  # the due date


def test_never_done_and_the_latest_completion_counts(practitioner, safeguarding):
    assert state_on(practitioner, dt.date(2026, 3, 16), "Safeguarding") == State.NEVER_DONE
    CompletionFactory(person=practitioner, course=safeguarding, completed_on=DONE)
    CompletionFactory(person=practitioner, course=safeguarding, completed_on=dt.date(2025, 9, 1))
    row = compliance_of(person=practitioner, today=dt.date(2026, 3, 16))
    assert row.cells[0].state == State.UP_TO_DATE
    assert row.cells[0].due_on == dt.date(2028, 9, 1)


def test_a_completion_in_the_future_does_not_count(practitioner, safeguarding):
    CompletionFactory(person=practitioner, course=safeguarding, completed_on=dt.date(2026, 5, 1))
    assert state_on(practitioner, dt.date(2026, 4, 1), "Safeguarding") == State.NEVER_DONE


def test_without_a_refresher_once_is_enough(practitioner):
    course = CourseFactory(title="Information sharing")
    requirement(band=BandFactory(number=3), title="Sharing information", refresher_months=None,
                       courses=[course])
    CompletionFactory(person=practitioner, course=course, completed_on=dt.date(2001, 1, 1))
    row = compliance_of(person=practitioner, today=dt.date(2026, 6, 1))
    assert row.cells[0].state == State.UP_TO_DATE
    assert row.cells[0].due_on is None


def test_any_of_a_set_of_equivalent_courses_meets_the_requirement(practitioner):
    classroom = CourseFactory(title="Signs of Safety (classroom)")
    online = CourseFactory(title="Signs of Safety (virtual)")
    requirement(band=BandFactory(number=3), title="Signs of Safety", refresher_months=24,
                       courses=[classroom, online])
    CompletionFactory(person=practitioner, course=classroom, completed_on=dt.date(2023, 1, 10))
    assert state_on(practitioner, dt.date(2025, 6, 1), "Signs of Safety") == State.OVERDUE
    CompletionFactory(person=practitioner, course=online, completed_on=dt.date(2025, 5, 1))
    assert state_on(practitioner, dt.date(2025, 6, 1), "Signs of Safety") == State.UP_TO_DATE


def test_only_the_current_version_and_the_persons_band_count(make_user):
    course = CourseFactory()
    old = StandardVersionFactory(name="Old", is_current=False)
    requirement(version=old, band=BandFactory(number=2), title="Old rule", courses=[course])
    current = StandardVersionFactory(name="Current")
    requirement(version=current, band=BandFactory(number=2), title="Band 2 rule", courses=[course])
    requirement(version=current, band=BandFactory(number=4), title="Band 4 rule", courses=[course])
    person = make_user(profile={"cts_band": 2})
    row = compliance_of(person=person, today=dt.date(2026, 6, 1))
    assert [c.requirement.title for c in row.cells] == ["Band 2 rule"]


def test_add_months_keeps_to_the_end_of_short_months():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 30), 36) == dt.date(2026, 11, 30)
    assert add_months(dt.date(2024, 2, 29), 24) == dt.date(2026, 2, 28)


def test_the_matrix_costs_three_queries_whatever_its_size(make_user):
    courses = [CourseFactory() for _ in range(3)]
    for band in (1, 2, 3):
        requirement(band=BandFactory(number=band), title=f"Req {band}", refresher_months=36,
                           courses=courses[:band])
    people = [make_user(profile={"cts_band": 1 + i % 3}) for i in range(12)]
    for person in people[::2]:
        CompletionFactory(person=person, course=courses[0], completed_on=dt.date(2025, 1, 1))
    with CaptureQueriesContext(connection) as queries:
        matrix = compliance_matrix(people=User.objects.filter(pk__in=[p.pk for p in people]),
                                   today=dt.date(2026, 1, 1))
    assert len(queries) <= 3
    assert len(matrix.rows) == 12
    assert [c.title for c in matrix.columns] == ["Req 1", "Req 2", "Req 3"]
    first = next(r for r in matrix.rows if r.person.pk == people[0].pk)  # band 1, done course 0
    assert [c.state for c in first.cells] == [State.UP_TO_DATE, State.NOT_REQUIRED, State.NOT_REQUIRED]


# --- The pages -----------------------------------------------------------------------------------------


@pytest.fixture
def team(make_user, safeguarding):
    manager = make_user(Role.LINE_MANAGER, first_name="Maya", last_name="Manager")
    done = make_user(first_name="Dora", last_name="Done", profile={"line_manager": manager})
    never = make_user(first_name="Nina", last_name="Never", profile={"line_manager": manager})
    CompletionFactory(person=done, course=safeguarding, completed_on=dt.date(2025, 1, 1))
    outsider = make_user(first_name="Olly", last_name="Outsider")
    return manager, done, never, outsider


@time_machine.travel(dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC))
def test_a_line_manager_sees_their_team_in_colour_and_words(client, team):
    manager, done, never, outsider = team
    client.force_login(manager)
    page = client.get(reverse("training:compliance_team")).content.decode()
    assert "Dora Done" in page and "Nina Never" in page
    assert "Olly Outsider" not in page
    assert 'class="rag rag-green">Up to date<' in page
    assert 'class="rag rag-red">Never done<' in page


@time_machine.travel(dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC))
def test_the_team_csv_has_everyone_not_just_the_page(client, team, make_user, monkeypatch):
    manager, *_ = team
    for i in range(3):
        make_user(first_name="Extra", last_name=f"Person{i}", profile={"line_manager": manager})
    monkeypatch.setattr("training.views.compliance.COMPLIANCE_PAGE_SIZE", 2)
    client.force_login(manager)
    page = client.get(reverse("training:compliance_team")).content.decode()
    assert "Page 1 of 3" in page
    response = client.get(reverse("training:compliance_team_export"))
    assert response["Content-Type"] == "text/csv"
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 5
    assert lines[0].startswith("Name,Email,Organisation")
    dora = next(line for line in lines if line.startswith("Dora Done"))
    assert "Up to date,2025-01-01,2028-01-01" in dora


def test_organisation_and_partnership_matrices_are_for_leads_and_administrators(client, team, make_user):
    manager, done, never, outsider = team
    client.force_login(manager)
    assert client.get(reverse("training:compliance_organisation")).status_code == 404
    assert client.get(reverse("training:compliance_all")).status_code == 404
    assert client.get(reverse("training:compliance_all_export")).status_code == 404

    lead = make_user(profile={"organisation": outsider.profile.organisation, "is_organisation_lead": True})
    client.force_login(lead)
    page = client.get(reverse("training:compliance_organisation")).content.decode()
    assert "Olly Outsider" in page and "Dora Done" not in page

    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("training:compliance_all")).content.decode()
    assert "Olly Outsider" in page and "Dora Done" in page
    filtered = client.get(reverse("training:compliance_all"),
                          {"organisation": outsider.profile.organisation_id}).content.decode()
    assert "Olly Outsider" in filtered and "Dora Done" not in filtered


def test_a_coordinator_sees_the_partnership_and_filters_by_requirement_and_state(client, team, make_user):
    """Issue 14: the coordinator got 404 here and had no link to it."""
    manager, done, never, outsider = team
    client.force_login(make_user(Role.TRAINING_COORDINATOR))
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("training:compliance_all")}"' in home  # in the menu
    page = client.get(reverse("training:compliance_all")).content.decode()
    assert all(name in page for name in ("Olly Outsider", "Dora Done", "Nina Never"))
    assert 'value="never_done"' in page and '<option value="Safeguarding">' in page

    gaps = client.get(reverse("training:compliance_all"), {"requirement": "Safeguarding", "state": "never_done"})
    text = gaps.content.decode()
    assert "Nina Never" in text and "Dora Done" not in text
    assert "who match the requirement and state chosen" in text
    csv = client.get(reverse("training:compliance_all_export"),
                     {"requirement": "Safeguarding", "state": "never_done"}).content.decode("utf-8-sig")
    assert "Nina Never" in csv and "Dora Done" not in csv
    bad = client.get(reverse("training:compliance_all"), {"state": "asleep"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_a_practitioner_sees_no_compliance_matrix(client, practitioner):
    client.force_login(practitioner)
    assert client.get(reverse("training:compliance_team")).status_code == 404
    assert client.get(reverse("training:compliance_team_export")).status_code == 404


@time_machine.travel(dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC))
def test_organisation_and_partnership_csv_exports_keep_to_their_scope_and_filters(client, team, make_user):
    manager, done, never, outsider = team
    lead = make_user(first_name="Lee", last_name="Lead",
                     profile={"organisation": outsider.profile.organisation, "is_organisation_lead": True})
    client.force_login(lead)
    response = client.get(reverse("training:compliance_organisation_export"))
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "Olly Outsider" in text and "Lee Lead" in text and "Dora Done" not in text
    assert "Safeguarding: state" in text.splitlines()[0]

    client.force_login(make_user(Role.ADMINISTRATOR))
    everyone = client.get(reverse("training:compliance_all_export")).content.decode("utf-8-sig")
    assert all(name in everyone for name in ("Olly Outsider", "Dora Done", "Nina Never"))
    filtered = client.get(reverse("training:compliance_all_export"), {"q": "nina"}).content.decode("utf-8-sig")
    lines = filtered.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Nina Never") and ",Never done,," in lines[1]
    page = client.get(reverse("training:compliance_all"), {"q": "nina"}).content.decode()
    assert 'class="rag rag-red">Never done<' in page
    assert reverse("training:compliance_all_export") + "?q=nina" in page  # the export keeps the filter
