"""The harness's data, written with the ORM in its own database: the bench's 200 practitioners and a 20-place
session (bench/booking_rush.py), an administrator, and what makes reminders due today — everyone confirmed on
another course's session in three days (a session reminder each) and 20 of them leading an action due in a
week (a digest each) in the active plan, whose quarter's Board report the harness asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bench import booking_rush
from bench.server import PASSWORD

ADMIN_EMAIL = "admin@chaos.example"
PEOPLE = 200
CAPACITY = 20
LEADS = 20


def person_email(n: int) -> str:
    return f"rush{n:04}@bench.example"  # as bench/booking_rush.py names them


@dataclass(frozen=True)
class Seeded:
    rush_session: int
    rush_course_title: str
    reminder_session: int
    strategy: int
    people: int
    capacity: int
    due_reminders: int  # what today's sweep owes: a session reminder each, and a digest for each lead


def seed(*, people: int = PEOPLE, capacity: int = CAPACITY, leads: int = LEADS) -> Seeded:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from actions.models import Action, Strategy, Theme
    from core.roles import Role
    from training.models import Booking, Course, Session, SessionDate
    from workforce.models import User

    with transaction.atomic():
        (rush,) = booking_rush.seed(people=people, capacity=capacity, sessions=1)
        practitioners = list(User.objects.filter(email__endswith="@bench.example").order_by("email"))
        admin = User.objects.create_user(email=ADMIN_EMAIL, password=PASSWORD, first_name="Ada", last_name="Admin")
        admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR.value))

        today = timezone.localdate()
        start = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
        course = Course.objects.create(code="REMIND", title="Supervision skills", summary="Chaos harness.",
                                       duration="3 hours")
        session = Session.objects.create(course=course, capacity=people + 10, venue_name="Town Hall",
                                         starts_at=start, ends_at=start + dt.timedelta(hours=3))
        SessionDate.objects.create(session=session, starts_at=session.starts_at, ends_at=session.ends_at)
        Booking.objects.bulk_create([Booking(session=session, person=p, status=Booking.Status.CONFIRMED)
                                     for p in practitioners])

        strategy = Strategy.objects.create(title="Chaos plan", period_start=today - dt.timedelta(days=400),
                                           period_end=today + dt.timedelta(days=700), status=Strategy.Status.ACTIVE)
        theme = Theme.objects.create(strategy=strategy, code="1", title="Safer workforce", order=1)
        for n in range(40):
            action = Action.objects.create(
                strategy=strategy, theme=theme, code=f"1.{n + 1}", title=f"Action {n + 1} of the chaos plan",
                # The first `leads` are due in a week (a reminder to their lead today); the rest far ahead.
                due_date=today + dt.timedelta(days=7 if n < leads else 200), current_status="green",
            )
            if n < leads:
                action.leads.add(practitioners[n])
    return Seeded(rush_session=rush, rush_course_title=Course.objects.get(code="RUSH").title,
                  reminder_session=session.pk, strategy=strategy.pk, people=people, capacity=capacity,
                  due_reminders=people + leads)
