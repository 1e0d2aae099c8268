"""The Board report's PDF: every figure equals a count from the database; tagged, with contents and pages."""

import datetime as dt
import io
import itertools

import pypdf
import pytest
import time_machine

from actions.models import CLOSED_STATUSES, Action, Status
from actions.reports.data import report_data
from actions.reports.pdf import report_pdf
from actions.reports.quarters import quarter_containing, quarter_from_key, quarter_previous
from actions.services import action_status_update
from training.models import Booking, Session

from . import report_fixtures
from .report_fixtures import AFTER_QUARTER, QUARTER, figure, pdf_text

quarter_data = report_fixtures.quarter_data

pytestmark = pytest.mark.django_db


def render(strategy, **kwargs):
    with time_machine.travel(AFTER_QUARTER, tick=False):
        data = report_data(strategy=strategy, quarter=QUARTER, recommendations="That the Board notes progress.",
                           author="Ada Author", contact="wsg@example.org", sponsor="Director of Children's Services",
                           **kwargs)
        return data, report_pdf(data)


def test_the_pdf_figures_equal_counts_from_the_database(quarter_data):
    strategy = quarter_data["strategy"]
    _data, content = render(strategy)
    text = pdf_text(content)

    actions = Action.objects.filter(strategy=strategy)
    overdue = actions.filter(due_date__lt=QUARTER.end).exclude(current_status__in=CLOSED_STATUSES)
    assert figure(text, "Actions in the plan") == actions.count() == 7
    assert figure(text, "Red actions") == actions.filter(current_status=Status.RED).count() == 2
    assert figure(text, "Overdue actions") == overdue.count() == 2
    assert figure(text, "Completed actions") == actions.filter(current_status=Status.COMPLETED).count() == 1
    # RAG counts per theme, in the table beside the chart: red, amber, green, completed, dropped, none, total, overdue
    assert "1. A confident and competent workforce 2 0 1 0 0 0 3 1" in text
    assert "2. Supported early help 0 1 1 1 0 1 4 1" in text
    assert "All themes 2 1 2 1 0 1 7 2" in text

    # Exceptions: every red or overdue action, with its leads.
    exceptions = text.split("2. Exceptions: red and overdue actions")[1].split("3. Progress by theme")[0]
    for action in actions.filter(current_status=Status.RED) | overdue:
        assert f"{action.code} {action.title}" in exceptions
    assert "Lena Lead, Omar Owusu" in exceptions
    assert "Welcome events" not in exceptions

    # Training in the quarter, counted from bookings.
    in_quarter = Booking.objects.filter(
        session__starts_at__date__range=(QUARTER.start, QUARTER.end), status__in=Booking.PLACE_STATUSES
    ).exclude(session__status=Session.Status.CANCELLED)
    assert figure(text, "Training sessions held") == 3
    assert figure(text, "Places booked") == in_quarter.count() == 8
    assert figure(text, "Attended") == in_quarter.filter(status=Booking.Status.ATTENDED).count() == 6
    assert figure(text, "Did not attend") == in_quarter.filter(status=Booking.Status.NO_SHOW).count() == 2
    assert "Social Care 5 4 1 80%" in text
    assert "Health 3 2 1 67%" in text
    assert "All sectors 8 6 2 75%" in text

    # Milestones due in the quarter (2) and met in it (1).
    assert figure(text, "Milestones due in the quarter") == 2
    assert figure(text, "Milestones met in the quarter") == 1
    assert "Run the first event 1.3 15 Mar 2026 Not yet Not met: overdue" in text

    # Cover, contents, commentary, recommendations, contact, page numbers.
    assert "Children's Partnership Board" in text
    assert "Q4 2025/26 January to March 2026" in text
    assert "Sponsor Director of Children's Services" in text
    assert "Contents" in text and "Executive summary" in text
    assert "Commentary for 1.1: Red – off track." in text
    assert "That the Board notes progress." in text
    assert "Contact wsg@example.org" in text
    assert "Page 3 of" in text

    # Tagged for accessibility (PDF/UA-1): structure tree, language, title, bookmarks.
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Q4 2025/26 progress report: Updated Action Plan 2026-27"
    assert len(reader.outline) >= 8  # bookmarks for each chapter


def test_figures_are_as_at_the_end_of_the_quarter(quarter_data):
    """An update posted after the quarter does not change the quarter's report."""
    before = pdf_text(render(quarter_data["strategy"])[1])
    with time_machine.travel(AFTER_QUARTER - dt.timedelta(hours=20), tick=False):  # 1 April
        action_status_update(by=quarter_data["strategist"], action=quarter_data["actions"]["red"],
                             status=Status.COMPLETED, percent_complete=100, commentary="Done in April.")
    after = pdf_text(render(quarter_data["strategy"])[1])
    assert figure(after, "Red actions") == figure(before, "Red actions") == 2
    assert "Done in April." not in after


def test_quarters_follow_the_financial_year():
    assert quarter_containing(dt.date(2026, 2, 14)).label == "Q4 2025/26"
    assert quarter_containing(dt.date(2026, 4, 1)).long_label == "Q1 2026/27: April to June 2026"
    assert quarter_previous(dt.date(2026, 4, 1)) == QUARTER
    assert quarter_from_key("2026-01-01") == QUARTER
    with pytest.raises(ValueError):
        quarter_from_key("2026-01-02")


def test_each_action_reads_as_a_heading_its_facts_and_its_commentary(quarter_data):
    text = pdf_text(render(quarter_data["strategy"])[1])
    exceptions = text.split("2. Exceptions: red and overdue actions")[1].split("3. Progress by theme")[0]
    progress = text.split("3. Progress by theme")[-1].split("4. Milestones due and met")[0]
    red_overdue = ("1.1 Roll out Signs of Safety Red · 40% done · Due 28 Feb 2026 (overdue) · "
                   "Lead: Lena Lead, Omar Owusu Commentary for 1.1: Red – off track. (15 Feb 2026)")
    assert red_overdue in exceptions and red_overdue in progress
    assert "2.3 Workforce data No update · 0% done · Due 30 Jun 2026 · Lead: No lead named No update yet." in progress


def test_headings_descend_one_level_at_a_time(quarter_data):
    """PDF/UA: heading levels are never skipped (a chapter's actions are H3, a theme's H4)."""
    root = pypdf.PdfReader(io.BytesIO(render(quarter_data["strategy"])[1])).trailer["/Root"]
    levels = []

    def walk(element):
        element = element.get_object()
        if element.get("/S") in {f"/H{n}" for n in range(1, 7)}:
            levels.append(int(element["/S"][2]))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid.get_object(), dict) and "/S" in kid.get_object():
                walk(kid)

    walk(root["/StructTreeRoot"])
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    # H3: the summary's chart, 3 exceptions, 2 themes, 2 training tables, background papers; H4: 7 actions
    assert levels.count(3) == 9 and levels.count(4) == 7


def test_a_quarter_still_running_counts_only_the_sessions_held_by_the_as_at_day(plan, make_user):
    """Q3 2026/27 (October to December) reported on 3 December 2026: sessions later in December have not been
    held, and their places are not "places booked" on sessions held."""
    from tests.notifications.factories import BookingFactory, SessionFactory

    from .report_fixtures import LONDON

    running = quarter_from_key("2026-10-01")
    people = [make_user() for _ in range(4)]

    def session(day, status=Session.Status.CLOSED):
        start = dt.datetime(2026, day.month, day.day, 10, tzinfo=LONDON)
        return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3), status=status)

    held = [session(dt.date(2026, 10, 14)), session(dt.date(2026, 11, 20)), session(dt.date(2026, 12, 3))]
    for s in held:
        BookingFactory(session=s, person=people[0], status=Booking.Status.ATTENDED)
    BookingFactory(session=held[1], person=people[1], status=Booking.Status.NO_SHOW)
    for day in (dt.date(2026, 12, 8), dt.date(2026, 12, 15)):  # still to come on 3 December
        upcoming = session(day, status=Session.Status.SCHEDULED)
        for person in people:
            BookingFactory(session=upcoming, person=person, status=Booking.Status.CONFIRMED)

    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=LONDON), tick=False):
        data = report_data(strategy=plan, quarter=running)
        text = pdf_text(report_pdf(data))
    assert (data.as_at, data.part_quarter) == (dt.date(2026, 12, 3), True)
    assert figure(text, "Training sessions held to 3 December 2026") == 3
    assert figure(text, "Places booked") == 4  # not the 8 places on the two sessions to come
    assert figure(text, "Attended") == 3
    assert "sessions held from 1 October to that day; sessions still to come are not counted" in text
    assert "Places on sessions held from 1 October to 3 December 2026, by the attendee's sector" in text
    assert "Figures as at 3 December 2026 (the quarter was still running)" in text

    # After the quarter, the whole quarter: every session that was held.
    Session.objects.filter(status=Session.Status.SCHEDULED).update(status=Session.Status.CLOSED)
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, 0, tzinfo=LONDON), tick=False):
        text = pdf_text(report_pdf(report_data(strategy=plan, quarter=running)))
    assert figure(text, "Training sessions held") == 5
    assert figure(text, "Places booked") == 12
    assert "still running" not in text and "Training sessions held to" not in text


def test_every_table_header_in_the_pdf_says_whether_it_heads_a_column_or_a_row(quarter_data):
    """PDF/UA (Matterhorn 15-003): tables with both column and row headers give each TH its /Scope."""
    from tests.pdf_structure import table_headers

    headers = table_headers(render(quarter_data["strategy"])[1])
    assert headers, "the report has tables with headers"
    assert {(group, scope) for group, scope in headers} == {
        ("/THead", "/Column"), ("/TBody", "/Row"), ("/TFoot", "/Row")}
    # The RAG table alone: Theme, six statuses, Total and Overdue head its columns.
    assert sum(1 for group, _scope in headers if group == "/THead") >= 9


def test_the_cover_and_every_page_say_which_version_it_is(quarter_data):
    with time_machine.travel(AFTER_QUARTER, tick=False):
        data = report_data(strategy=quarter_data["strategy"], quarter=QUARTER, version=3)
        content = report_pdf(data)
    pages = [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]
    assert "Version 3, generated 2 April 2026" in pages[0]
    assert all("Version 3, generated 2 April 2026" in page for page in pages[1:]), "the footer names the version"
