"""The rules an imported plan is read by: timescales in words, and leads as people write them."""

from datetime import date

import pytest

from actions.plan_import.leads import BODY, EXTERNAL, PERSON, Candidate, Directory, match_leads, split_leads
from actions.plan_import.timescales import (
    DATED,
    NONE,
    ONGOING,
    RECURRING,
    TimescaleError,
    bracketed_milestones,
    parse_timescale,
)

D = date
TIMESCALES = [
    ("March 2010", DATED, None, D(2010, 3, 31)),
    ("Jan 2017", DATED, None, D(2017, 1, 31)),
    ("Sept 2016", DATED, None, D(2016, 9, 30)),
    ("Oct 2016", DATED, None, D(2016, 10, 31)),
    ("March 17", DATED, None, D(2017, 3, 31)),
    ("February 2012", DATED, None, D(2012, 2, 29)),
    ("By March 2011", DATED, None, D(2011, 3, 31)),
    ("End of June 2010", DATED, None, D(2010, 6, 30)),
    ("by the end of December 2016", DATED, None, D(2016, 12, 31)),
    ("January to April 2010", DATED, D(2010, 1, 1), D(2010, 4, 30)),
    ("June – November 2010", DATED, D(2010, 6, 1), D(2010, 11, 30)),
    ("June - November 2010", DATED, D(2010, 6, 1), D(2010, 11, 30)),
    ("November – March 2011", DATED, D(2010, 11, 1), D(2011, 3, 31)),
    ("November 2009 – June 2010", DATED, D(2009, 11, 1), D(2010, 6, 30)),
    ("Sept 2016 to March 2017", DATED, D(2016, 9, 1), D(2017, 3, 31)),
    ("2010 – 2013", DATED, D(2010, 1, 1), D(2013, 12, 31)),
    ("2010 – 2013 initially", DATED, D(2010, 1, 1), D(2013, 12, 31)),
    ("2010-2013", DATED, D(2010, 1, 1), D(2013, 12, 31)),
    ("2016/17", DATED, D(2016, 4, 1), D(2017, 3, 31)),
    ("2016-17", DATED, D(2016, 4, 1), D(2017, 3, 31)),
    ("2016/2017", DATED, D(2016, 4, 1), D(2017, 3, 31)),
    ("Q1 2016/17", DATED, D(2016, 4, 1), D(2016, 6, 30)),
    ("Q3 2016/17", DATED, D(2016, 10, 1), D(2016, 12, 31)),
    ("Q4 2016/17", DATED, D(2017, 1, 1), D(2017, 3, 31)),
    ("2011", DATED, D(2011, 1, 1), D(2011, 12, 31)),
    ("Summer 2010", DATED, D(2010, 6, 1), D(2010, 8, 31)),
    ("Winter 2016", DATED, D(2016, 12, 1), D(2017, 2, 28)),
    ("31/03/2017", DATED, None, D(2017, 3, 31)),
    ("2026-03-31", DATED, None, D(2026, 3, 31)),
    ("1st April 2017", DATED, None, D(2017, 4, 1)),
    ("July 2010 & October 2010", DATED, D(2010, 7, 1), D(2010, 10, 31)),
    ("March 2010 and September 2010", DATED, D(2010, 3, 1), D(2010, 9, 30)),
    ("(March 2017)", DATED, None, D(2017, 3, 31)),
    ("Quarterly", RECURRING, None, None),
    ("quarterly", RECURRING, None, None),
    ("Annually", RECURRING, None, None),
    ("Termly", RECURRING, None, None),
    ("Six-monthly", RECURRING, None, None),
    ("February, June and October", RECURRING, None, None),
    ("On-going", ONGOING, None, None),
    ("ongoing", ONGOING, None, None),
    ("Ongoing", ONGOING, None, None),
    ("On going", ONGOING, None, None),
    ("April 2010 onwards", ONGOING, D(2010, 4, 1), None),
    ("", NONE, None, None),
    ("   ", NONE, None, None),
]


@pytest.mark.parametrize(("text", "kind", "start", "due"), TIMESCALES, ids=[t[0] or "blank" for t in TIMESCALES])
def test_a_timescale_in_words_becomes_dates(text, kind, start, due):
    parsed = parse_timescale(text)
    assert (parsed.kind, parsed.start, parsed.due) == (kind, start, due)


def test_the_table_covers_at_least_forty_texts():
    assert len({t[0] for t in TIMESCALES}) >= 40


@pytest.mark.parametrize("text", ["soon", "TBC", "March", "31/02/2017", "2016/19", "Q5 2016/17", "when funded",
                                  "2013 – 2010"])
def test_a_timescale_that_cannot_be_read_says_what_would_be(text):
    with pytest.raises(TimescaleError, match="not"):
        parse_timescale(text)


def test_ongoing_and_recurring_have_no_due_date_so_are_never_overdue():
    assert parse_timescale("On-going").due is None
    assert parse_timescale("Quarterly").due is None
    assert "no due date" in parse_timescale("On-going").describe().lower()


def test_bracketed_dates_at_the_end_of_bullets_are_offered_as_milestones():
    text = ("• Audit the leaflets (March 17)\n• Refresh the training offer (Oct 2016)\n• No date here\n"
            "- Report (2016/17)")
    assert bracketed_milestones(text) == [
        ("Audit the leaflets", D(2017, 3, 31)), ("Refresh the training offer", D(2016, 10, 31)),
        ("Report", D(2017, 3, 31)),
    ]


def _directory() -> Directory:
    directory = Directory()
    directory.add(Candidate(kind=PERSON, pk=1, label="Ruth Example"), "ruth@example.org", "Ruth Example",
                  "Strategic Integrated Workforce Lead")
    directory.add(Candidate(kind=PERSON, pk=2, label="Omar Sample"), "omar@example.org", "Omar Sample",
                  "Head of Quality and Performance")
    directory.add(Candidate(kind=PERSON, pk=3, label="Ann Fictional"), "ann@example.org", "Ann Fictional",
                  "Social Work Manager")
    directory.add(Candidate(kind=PERSON, pk=4, label="Ben Fictional"), "ben@example.org", "Ben Fictional",
                  "Social Work Manager")
    board = Candidate(kind=BODY, pk=10, label="Safeguarding Children Board", start=D(2008, 4, 1), end=D(2019, 9, 28))
    directory.add(board, "Safeguarding Children Board")
    directory.add(Candidate(kind=BODY, pk=11, label="Workforce Group", start=D(2015, 1, 1)), "Workforce Group")
    return directory


@pytest.mark.parametrize(("text", "parts"), [
    ("A & B", ["A", "B"]),
    ("A / B", ["A", "B"]),
    ("A; B", ["A", "B"]),
    ("Ruth Example and Omar Sample", ["Ruth Example", "Omar Sample"]),
    ("A, B, Ruth Example and Workforce Group", ["A", "B", "Ruth Example", "Workforce Group"]),
    ("Head of Service and Principal Social Worker", ["Head of Service", "Principal Social Worker"]),
    ("A\nB", ["A", "B"]),
    ("", []),
    ("Head of Quality and Performance", ["Head of Quality and Performance"]),
    ("Head of Quality and Performance & Workforce Group", ["Head of Quality and Performance", "Workforce Group"]),
    ("Ruth Example and Workforce Group", ["Ruth Example", "Workforce Group"]),
    ("Youth Offending and Family Support Manager", ["Youth Offending and Family Support Manager"]),
])
def test_a_lead_cell_splits_into_its_leads(text, parts):
    assert split_leads(text, _directory()) == parts


@pytest.mark.parametrize(("text", "on", "expected"), [
    ("ruth@example.org", None, [(PERSON, 1)]),
    ("RUTH@example.org", None, [(PERSON, 1)]),
    ("Ruth Example", None, [(PERSON, 1)]),
    ("strategic integrated workforce lead", None, [(PERSON, 1)]),
    ("The Strategic Integrated Workforce Lead", None, [(PERSON, 1)]),
    ("Strategic Integrated Workforce Lead & Head of Quality and Performance", None, [(PERSON, 1), (PERSON, 2)]),
    ("Workforce Group / Omar Sample", None, [(BODY, 11), (PERSON, 2)]),
    ("Safeguarding Children Board", D(2010, 3, 31), [(BODY, 10)]),
    ("Safeguarding Children Board", D(2020, 3, 31), [(EXTERNAL, None)]),
    ("Social Work Manager", None, [(EXTERNAL, None)]),
    ("Director of Public Health", None, [(EXTERNAL, None)]),
    ("nobody@example.org", None, [(EXTERNAL, None)]),
])
def test_each_lead_is_matched_to_a_person_a_body_or_kept_as_external(text, on, expected):
    assert [(m.kind, m.pk) for m in match_leads(text, _directory(), on=on)] == expected


def test_an_ambiguous_job_title_names_the_people_to_choose_from():
    (match,) = match_leads("Social Work Manager", _directory())
    assert "2 people match (Ann Fictional, Ben Fictional)" in match.note


def test_a_body_led_action_after_the_body_ended_says_why_it_is_external():
    (match,) = match_leads("Safeguarding Children Board", _directory(), on=D(2020, 1, 1))
    assert "did not meet on 1 Jan 2020" in match.note
