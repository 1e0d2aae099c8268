"""A Board report generated through a real Celery worker (Redis in CI): the PDF it stores is read back and every
figure is checked against a count made here from the database, independently of the report's own code; the
PDF opens, is tagged (PDF/UA-1), and its contents page points at the right pages."""

import datetime as dt
import io
import re
from collections import Counter

import pypdf
import pytest

from actions.models import Action, BoardReport, Milestone, StatusUpdate
from actions.reports import services
from tests.notifications.factories import CourseFactory
from tests.waiting import wait_for
from training.models import Band, Booking, Completion, Requirement, Session, StandardVersion
from workforce.models import StaffProfile

from . import report_fixtures
from .report_fixtures import QUARTER, figure, pdf_text

quarter_data = report_fixtures.quarter_data

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def standard(quarter_data):
    """Band 3 (everyone's band here) must do Safeguarding every 36 months and Prevent once."""
    version = StandardVersion.objects.create(name="CTS 2026", effective_from=dt.date(2025, 1, 1), is_current=True)
    band = Band.objects.get_or_create(number=3, defaults={"label": "Regular direct contact"})[0]
    safeguarding, prevent = CourseFactory(title="Safeguarding level 2"), CourseFactory(title="Prevent")
    Requirement.objects.create(version=version, band=band, title="Safeguarding level 2",
                               refresher_months=36).courses.add(safeguarding)
    Requirement.objects.create(version=version, band=band, title="Prevent").courses.add(prevent)
    social = list(StaffProfile.objects.filter(organisation__sector__name="Social Care").order_by("pk"))
    health = list(StaffProfile.objects.filter(organisation__sector__name="Health").order_by("pk"))
    done = [
        (social[0], safeguarding, dt.date(2025, 1, 10)), (social[0], prevent, dt.date(2024, 5, 1)),
        (social[1], safeguarding, dt.date(2025, 1, 10)),
        (social[2], safeguarding, dt.date(2022, 6, 1)),  # expired in June 2025
        (health[0], safeguarding, dt.date(2025, 1, 10)), (health[0], prevent, dt.date(2023, 2, 1)),
        (health[1], prevent, dt.date(2026, 5, 1)),  # after the quarter: not counted as at 31 March
    ]
    for profile, course, day in done:
        Completion.objects.create(person=profile.user, course=course, completed_on=day)
    return {"safeguarding": safeguarding, "prevent": prevent}


def statuses_by_hand(strategy, day):
    """Each action's latest update on or before `day`, counted here with plain loops."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=QUARTER_TZ)
    latest = {}
    for update in StatusUpdate.objects.filter(action__strategy=strategy).order_by("created_at", "id"):
        if update.created_at < end:
            latest[update.action_id] = update.status
    return {a.pk: latest.get(a.pk, "none") for a in Action.objects.filter(strategy=strategy)}


QUARTER_TZ = report_fixtures.LONDON


def _rag_and_exceptions_say_what_the_database_says(text, strategy, actions, status_of, day):
    # RAG counts: per theme and in all, from each action's latest update on or before the quarter's end.
    order = ["red", "amber", "green", "completed", "dropped", "none"]
    for theme in strategy.themes.order_by("order"):
        mine = [a for a in actions if a.theme_id == theme.pk]
        counts = Counter(status_of[a.pk] for a in mine)
        overdue = sum(1 for a in mine if a.due_date and a.due_date < day
                      and status_of[a.pk] not in ("completed", "dropped"))
        row = " ".join(str(counts[s]) for s in order) + f" {len(mine)} {overdue}"
        assert f"{theme.code}. {theme.title} {row}" in text
    all_counts = Counter(status_of.values())
    overdue_actions = [a for a in actions if a.due_date and a.due_date < day
                       and status_of[a.pk] not in ("completed", "dropped")]
    assert figure(text, "Actions in the plan") == len(actions)
    assert figure(text, "Red actions") == all_counts["red"]
    assert figure(text, "Completed actions") == all_counts["completed"]
    assert figure(text, "Overdue actions") == len(overdue_actions) == 2

    # Exceptions: exactly the red and overdue actions, each with its leads.
    exceptions = text.split("2. Exceptions: red and overdue actions")[-1].split("3. Progress by theme")[0]
    expected = {a.pk for a in overdue_actions} | {pk for pk, s in status_of.items() if s == "red"}
    for action in actions:
        listed = f"{action.code} {action.title}" in exceptions
        assert listed == (action.pk in expected), action.code
        if listed:
            for lead in action.leads.all():
                assert lead.get_full_name() in exceptions



def _milestones_and_training_say_what_the_database_says(text, strategy):
    # Milestones due and met in the quarter.
    in_quarter = Milestone.objects.filter(action__strategy=strategy)
    assert figure(text, "Milestones due in the quarter") == in_quarter.filter(
        due_date__range=(QUARTER.start, QUARTER.end)).count()
    assert figure(text, "Milestones met in the quarter") == in_quarter.filter(
        done_date__range=(QUARTER.start, QUARTER.end)).count()

    # Training delivered: sessions held in the quarter (not cancelled) and their places, by attendee's sector.
    places = [b for b in Booking.objects.select_related("session", "person__profile__organisation__sector")
              if QUARTER.contains(b.session.starts_at.astimezone(QUARTER_TZ).date())
              and b.session.status != Session.Status.CANCELLED and b.status in Booking.PLACE_STATUSES]
    sessions = {b.session_id for b in places}
    assert figure(text, "Training sessions held") == len(sessions)
    assert figure(text, "Places booked") == len(places)
    for sector in ("Social Care", "Health"):
        mine = [b for b in places if b.person.profile.organisation.sector.name == sector]
        attended = sum(b.status == Booking.Status.ATTENDED for b in mine)
        no_show = sum(b.status == Booking.Status.NO_SHOW for b in mine)
        rate = round(100 * attended / (attended + no_show))
        assert f"{sector} {len(mine)} {attended} {no_show} {rate}%" in text



def _compliance_and_workforce_say_what_the_database_says(text, report):
    # Core Training Standard compliance by sector as at the quarter's end (completions after it do not count).
    assert "Social Care 4 1 25% 3 of 8" in text  # social[0] has both; social[1] one; social[2]'s expired
    assert "Health 3 1 33% 2 of 6" in text  # health[0] has both; health[1] did Prevent only after March
    profiles = StaffProfile.objects.filter(user__is_active=True)
    people = profiles.count()
    assert f"All sectors {people} 2 {round(200 / people)}% 5 of {2 * people}" in text

    # Workforce figures: headcounts from the staff profiles.
    made = report.requested_at.astimezone(QUARTER_TZ).date()
    assert f"People with a staff profile in the portal on {made:%-d %B %Y}, when this report was made: {people}, in" \
        in text  # today's headcount, and the report says so
    assert f"Social Care {profiles.filter(organisation__sector__name='Social Care').count()}" in text



def _cover_contents_and_tags_are_right(text, reader):
    # Cover, recommendations, author and contact.
    assert "Children's Partnership Board" in text and "Sponsor Director of Children's Services" in text
    assert "That the Board notes progress." in text and "Contact wsg@example.org" in text

    # Page numbers on every page after the cover, and a contents page whose numbers are right.
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in reader.pages]
    for number, page_text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in page_text
    contents = pages[1]
    for title in ["Executive summary", "Exceptions: red and overdue actions", "Progress by theme",
                  "Milestones due and met in the quarter", "Training delivered and the Core Training Standard",
                  "Workforce figures", "Recommendations", "Author and contact"]:
        match = re.search(rf"{re.escape(title)}[ .]*(\d+)", contents)
        assert match, f"{title!r} is not in the contents"
        target = pages[int(match.group(1)) - 1]
        assert re.search(rf"\d\. {re.escape(title)}", target), f"{title!r} is not on page {match.group(1)}"

    _tagged_for_accessibility(reader)


def _tagged_for_accessibility(reader):
    # Tagged for accessibility: PDF/UA-1 identification, structure tree, language, title, the chart's alt text.
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    figures = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if node.get("/S") == "/Figure":
                figures.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(root["/StructTreeRoot"])
    assert figures, "the chart is not tagged as a figure"
    assert all(str(f.get("/Alt", "")).startswith("Bar chart of actions by status") for f in figures)


def test_a_report_rendered_by_the_worker_says_what_the_database_says(quarter_data, standard, celery_worker):
    strategy = quarter_data["strategy"]
    report = services.board_report_request(by=quarter_data["strategist"], strategy=strategy, quarter=QUARTER,
                                           recommendations="That the Board notes progress.", author="Ada Author",
                                           contact="wsg@example.org", sponsor="Director of Children's Services")
    wait_for(lambda: BoardReport.objects.get(pk=report.pk).is_finished, "no worker rendered it", timeout=180)
    report.refresh_from_db()
    assert report.status == BoardReport.Status.READY, report.error
    content = services.board_report_content(report=report)
    reader = pypdf.PdfReader(io.BytesIO(content), strict=True)  # it opens, strictly parsed
    text = pdf_text(content)
    day = QUARTER.end

    status_of = statuses_by_hand(strategy, day)
    actions = list(Action.objects.filter(strategy=strategy).select_related("theme").order_by("theme__order"))
    _rag_and_exceptions_say_what_the_database_says(text, strategy, actions, status_of, day)
    _milestones_and_training_say_what_the_database_says(text, strategy)
    _compliance_and_workforce_say_what_the_database_says(text, report)
    _cover_contents_and_tags_are_right(text, reader)
