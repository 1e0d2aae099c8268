"""A quarter's worth of plan and training data for Board report tests (Q4 2025/26: January to March 2026)."""

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pypdf
import pytest
import time_machine

from actions.models import Action, Status, Strategy
from actions.reports.quarters import Quarter
from actions.services import action_status_update
from core.roles import Role
from partners.models import GovernanceBody
from tests.actions.factories import ActionFactory, MilestoneFactory, StrategyFactory, ThemeFactory
from tests.notifications.factories import BookingFactory, SessionFactory
from tests.partners.factories import OrganisationFactory, SectorFactory
from training.models import Booking, Session

LONDON = ZoneInfo("Europe/London")
QUARTER = Quarter(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
AFTER_QUARTER = dt.datetime(2026, 4, 2, 9, 0, tzinfo=LONDON)


def pdf_text(content: bytes) -> str:
    """All the PDF's text with runs of whitespace folded to one space."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def figure(text: str, label: str) -> int:
    match = re.search(rf"{re.escape(label)}:? (\d+)", text)
    assert match, f"{label!r} not found in the PDF"
    return int(match.group(1))


@pytest.fixture
def quarter_data(make_user):
    """An active plan: 2 themes, 7 actions with updates posted in the quarter (2 red, 1 of them overdue;
    1 amber overdue; 1 completed late), milestones, and 3 sessions with places from two sectors."""
    GovernanceBody.objects.get_or_create(slug="board", defaults={
        "name": "Children's Partnership Board", "start_date": dt.date(2010, 4, 1)})
    strategist = make_user(Role.STRATEGY_GROUP_MEMBER, email="strategist@example.org")
    lena = make_user(email="lena@example.org", first_name="Lena", last_name="Lead")
    omar = make_user(email="omar@example.org", first_name="Omar", last_name="Owusu")
    strategy = StrategyFactory(title="Updated Action Plan 2026-27", status=Strategy.Status.ACTIVE)
    t1 = ThemeFactory(strategy=strategy, code="1", title="A confident and competent workforce", order=1)
    t2 = ThemeFactory(strategy=strategy, code="2", title="Supported early help", order=2)
    a = {
        "red_overdue": ActionFactory(theme=t1, code="1.1", title="Roll out Signs of Safety",
                                     due_date=dt.date(2026, 2, 28), leads=[lena, omar]),
        "red": ActionFactory(theme=t1, code="1.2", title="Quality-assure safeguarding training",
                             due_date=dt.date(2026, 9, 30), leads=[lena]),
        "green": ActionFactory(theme=t1, code="1.3", title="Welcome events", due_date=dt.date(2026, 12, 1),
                               leads=[omar]),
        "amber_overdue": ActionFactory(theme=t2, code="2.1", title="Mental Capacity Act training",
                                       due_date=dt.date(2026, 1, 31), leads=[omar]),
        "completed": ActionFactory(theme=t2, code="2.2", title="Designated safeguarding officer tracker",
                                   due_date=dt.date(2026, 3, 1), leads=[lena]),
        "none": ActionFactory(theme=t2, code="2.3", title="Workforce data", due_date=dt.date(2026, 6, 30)),
        "green2": ActionFactory(theme=t2, code="2.4", title="Early help assessments", leads=[lena]),
    }
    # They began with the plan's year (made here today, they count for the quarter by their start dates).
    Action.objects.filter(strategy=strategy).update(start_date=dt.date(2025, 4, 1))
    with time_machine.travel(dt.datetime(2026, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        for key, status in [("red_overdue", Status.RED), ("red", Status.RED), ("green", Status.GREEN),
                            ("amber_overdue", Status.AMBER), ("completed", Status.COMPLETED),
                            ("green2", Status.GREEN)]:
            action_status_update(by=strategist, action=a[key], status=status, percent_complete=40,
                                 commentary=f"Commentary for {a[key].code}: {status.label}.")
    MilestoneFactory(action=a["green"], title="Book venues", due_date=dt.date(2026, 2, 1),
                     done_date=dt.date(2026, 1, 28))
    MilestoneFactory(action=a["green"], title="Run the first event", due_date=dt.date(2026, 3, 15))
    MilestoneFactory(action=a["red"], title="Draft the QA scheme", due_date=dt.date(2026, 5, 1))

    social, health = SectorFactory(name="Social Care", order=1), SectorFactory(name="Health", order=2)
    org_social, org_health = OrganisationFactory(sector=social), OrganisationFactory(sector=health)
    people_social = [make_user(profile={"organisation": org_social}) for _ in range(4)]
    people_health = [make_user(profile={"organisation": org_health}) for _ in range(3)]

    def held(day, **kwargs):
        start = dt.datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
        return SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=3), status=Session.Status.CLOSED,
                              **kwargs)

    s1, s2, s3 = held(dt.date(2026, 1, 20)), held(dt.date(2026, 2, 10)), held(dt.date(2026, 3, 31))
    outcomes = [
        (s1, people_social[0], Booking.Status.ATTENDED), (s1, people_social[1], Booking.Status.ATTENDED),
        (s1, people_health[0], Booking.Status.NO_SHOW), (s2, people_social[2], Booking.Status.ATTENDED),
        (s2, people_health[1], Booking.Status.ATTENDED), (s2, people_health[2], Booking.Status.ATTENDED),
        (s3, people_social[3], Booking.Status.NO_SHOW), (s3, people_social[0], Booking.Status.ATTENDED),
        (s3, people_health[0], Booking.Status.CANCELLED),  # not a place
    ]
    for session, person, status in outcomes:
        BookingFactory(session=session, person=person, status=status)
    # Outside the quarter, or cancelled: not counted.
    BookingFactory(session=held(dt.date(2025, 12, 31)), person=people_social[0], status=Booking.Status.ATTENDED)
    cancelled = held(dt.date(2026, 2, 20))
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    BookingFactory(session=cancelled, person=people_health[1], status=Booking.Status.CONFIRMED)
    return {"strategy": strategy, "actions": a, "strategist": strategist}
