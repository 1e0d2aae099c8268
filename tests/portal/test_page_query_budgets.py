"""The key pages stay within their query budgets however much data there is (issue 8: at most ten queries a page,
five for the compliance matrix). Each page is measured with a small partnership, then again after the
partnership grows fivefold (more people, organisations, courses, sessions, bookings, completions, actions):
the count must not move, and must be within budget. Speed itself is measured by bench/pages.py, not here."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Strategy
from core.roles import Role
from tests.actions.factories import ActionFactory, MilestoneFactory, ThemeFactory
from tests.partners.factories import OrganisationFactory, SectorFactory
from tests.training.factories import (
    BandFactory,
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
)
from tests.training.factories import (
    ThemeFactory as CourseThemeFactory,
)
from training.models import Booking

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 10
COMPLIANCE_BUDGET = 5


class Partnership:
    """A partnership that can grow: `grow(n)` adds n of everything the key pages list or count."""

    def __init__(self, make_user):
        self.make_user = make_user
        self.sector = SectorFactory(name="Early Years")
        self.council = OrganisationFactory(name="City Council", sector=self.sector)
        self.version = StandardVersionFactory(name="Core Training Standard 2026", is_current=True)
        self.band = BandFactory(number=3, label="Regular contact")
        self.strategy = ThemeFactory(strategy__status=Strategy.Status.ACTIVE).strategy
        self.themes = [ThemeFactory(strategy=self.strategy, order=n) for n in range(3)]
        self.course_themes = [CourseThemeFactory() for _ in range(3)]
        self.practitioner = make_user(Role.PRACTITIONER, profile={"organisation": self.council, "cts_band": 3})
        self.manager = make_user(Role.LINE_MANAGER, Role.PRACTITIONER, profile={"organisation": self.council})
        self.coordinator = make_user(Role.TRAINING_COORDINATOR, Role.PRACTITIONER,
                                     profile={"organisation": self.council})  # fmt: skip
        self.strategist = make_user(Role.STRATEGY_GROUP_MEMBER, Role.PRACTITIONER,
                                    profile={"organisation": self.council})  # fmt: skip
        self.board = make_user(Role.BOARD_MEMBER, profile={"organisation": self.council})
        self.admin = make_user(Role.ADMINISTRATOR, profile={"organisation": self.council})
        self.course = CourseFactory(provider=self.council)
        self.course.themes.set(self.course_themes[:2])
        self.course.prerequisites.set([CourseFactory(), CourseFactory()])  # the course page checks them
        RequirementFactory(version=self.version, band=self.band, courses=[self.course], refresher_months=36)
        self.session = SessionFactory(course=self.course, capacity=50)
        self.practitioner.profile.line_manager = self.manager
        self.practitioner.profile.save()
        self.grown = itertools.count()

    def grow(self, n: int) -> None:
        now = timezone.now()
        for _ in range(n):
            i = next(self.grown)
            organisation = OrganisationFactory(sector=self.sector)
            people = [self.make_user(Role.PRACTITIONER, profile={"organisation": organisation, "cts_band": 3,
                                                                  "line_manager": self.manager})
                      for _ in range(3)]  # fmt: skip
            course = CourseFactory(provider=organisation)
            course.themes.set(self.course_themes[i % 3:])
            prerequisite = CourseFactory()
            course.prerequisites.add(prerequisite)
            RequirementFactory(version=self.version, band=self.band, courses=[course, prerequisite])
            for start in (now + dt.timedelta(days=10 + i), now - dt.timedelta(days=40 + i)):
                for on in (course, self.course):
                    session = SessionFactory(course=on, start=start, capacity=2)
                    session.trainers.add(self.practitioner)
                    for k, person in enumerate([*people, self.practitioner]):
                        status = (Booking.Status.ATTENDED if start < now else
                                  Booking.Status.CONFIRMED if k < 2 else Booking.Status.WAITLISTED)  # fmt: skip
                        BookingFactory(session=session, person=person, status=status)
            BookingFactory(session=self.session, person=people[0])
            for person in [*people, self.practitioner]:
                CompletionFactory(person=person, course=course, completed_on=timezone.localdate() - dt.timedelta(
                    days=100 * (i + 1)))  # fmt: skip
            action = ActionFactory(strategy=self.strategy, theme=self.themes[i % 3],
                                   leads=[people[0], self.practitioner],
                                   due_date=timezone.localdate() + dt.timedelta(days=(-5, 5)[i % 2]))  # fmt: skip
            MilestoneFactory(action=action)


def _queries(client, url: str) -> list[str]:
    client.get(url)  # the first request fills the caches (roles, facets, figures) and renews the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert b"No actions match" not in response.content and b"No courses match" not in response.content  # lists list
    return [q["sql"] for q in captured.captured_queries]


PAGES = [  # (label, who, url (a function of the partnership), budget)
    ("catalogue", "practitioner", lambda p: "/training/courses/", PAGE_BUDGET),
    ("catalogue filtered", "practitioner",
     lambda p: f"/training/courses/?places_free=on&required_for_me=on&theme={p.course_themes[0].slug}", PAGE_BUDGET),
    ("course page", "practitioner", lambda p: p.course.get_absolute_url(), PAGE_BUDGET),
    ("session page", "practitioner", lambda p: p.session.get_absolute_url(), PAGE_BUDGET),
    ("My training", "practitioner", lambda p: "/training/my-training/", PAGE_BUDGET),
    ("My bookings", "practitioner", lambda p: "/training/my-bookings/", PAGE_BUDGET),
    ("action list", "strategist", lambda p: "/plan/actions/", PAGE_BUDGET),
    ("action list filtered", "strategist",
     lambda p: f"/plan/actions/?overdue=on&theme={p.themes[0].pk}&lead={p.practitioner.pk}", PAGE_BUDGET),
    ("workforce dashboard", "board", lambda p: "/people/dashboard/", PAGE_BUDGET),
    ("compliance matrix, everyone", "admin", lambda p: "/training/compliance/all/", COMPLIANCE_BUDGET),
    ("compliance matrix, a team", "manager", lambda p: "/training/compliance/team/", COMPLIANCE_BUDGET),
    *[(f"home of the {who}", who, lambda p: "/", PAGE_BUDGET)
      for who in ("practitioner", "manager", "coordinator", "strategist", "board", "admin")],
]  # fmt: skip


@pytest.mark.parametrize(("label", "who", "url", "budget"), PAGES, ids=[page[0] for page in PAGES])
def test_key_pages_keep_to_their_query_budget_as_the_partnership_grows(client, make_user, label, who, url, budget):
    partnership = Partnership(make_user)
    partnership.grow(1)
    client.force_login(getattr(partnership, who))
    small = _queries(client, url(partnership))
    partnership.grow(4)
    grown = _queries(client, url(partnership))
    assert len(grown) == len(small), f"{label}: {len(small)} queries, then {len(grown)} with more data"
    assert len(grown) <= budget, f"{label}: {len(grown)} queries (budget {budget}):\n" + "\n".join(grown)


def test_the_budget_counts_what_a_page_really_runs(client, make_user, django_assert_max_num_queries):
    """A guard against a guard that cannot fail: a cold cache costs the catalogue more than a warm one."""
    partnership = Partnership(make_user)
    client.force_login(partnership.practitioner)
    with CaptureQueriesContext(connection) as cold:
        client.get("/training/courses/")
    with django_assert_max_num_queries(len(cold) - 1):
        client.get("/training/courses/")
