"""The demo data has what the issue asks for, so a new user trying the portal meets every case."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from training.models import Band, Booking, Course, Event, Requirement, Session, StandardVersion

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # the whole demo is loaded


def test_the_demo_standard_catalogue_and_sessions():
    call_command("seed_demo", password="a-demo-passphrase")
    now = timezone.now()
    assert StandardVersion.objects.filter(is_current=True).count() == 1
    assert list(Band.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert Course.objects.count() >= 20
    current = Requirement.objects.filter(version__is_current=True)
    assert current.get(band__number=3, title="Signs of Safety").refresher_months == 24
    assert current.get(band__number=4, title="Safeguarding level 3").refresher_months == 36
    assert list(Course.objects.get(code="MCA-C").prerequisites.values_list("code", flat=True)) == ["MCA-E"]
    assert Course.objects.get(code="MI-R").refresher_of.code == "MI-I"
    upcoming = Session.objects.filter(starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=190))
    assert upcoming.count() >= 40
    assert Session.objects.filter(starts_at__lt=now).exists()
    assert Event.objects.filter(name__startswith="Every Colleague Matters").annotate(n=Count("sessions")).get().n >= 5
    full = Session.objects.annotate(
        taken=Count("bookings", filter=Q(bookings__status="confirmed")),
        waiting=Count("bookings", filter=Q(bookings__status="waitlisted")),
    ).filter(taken=F("capacity"), waiting__gt=0)
    assert full.exists()
    assert Booking.objects.filter(status=Booking.Status.PENDING_APPROVAL,
                                  person__profile__line_manager__email="manager@demo.example").exists()


def test_the_demo_has_every_case_the_issue_names():
    """Safeguarding at two levels with refreshers, Motivational Interviewing intro + refresher, past sessions with
    attendance and completions, a week-long event, and compliance in every state for the demo practitioner and
    for the demo manager's team."""
    from training.compliance import State, compliance_matrix, compliance_of
    from training.models import Completion
    from workforce.models import User

    call_command("seed_demo", password="a-demo-passphrase")
    courses = {c.code: c for c in Course.objects.select_related("refresher_of")}
    assert courses["SG2-R"].refresher_of == courses["SG2"] and courses["SG3-R"].refresher_of == courses["SG3"]
    assert courses["MI-I"].variant == "intro" and courses["MI-R"].variant == "refresher"
    assert courses["MCA-E"].delivery_mode == "elearning" and courses["MCA-C"].delivery_mode == "classroom"
    assert {c.delivery_mode for c in courses.values()} == {"classroom", "elearning", "virtual", "blended", "event"}
    current = Requirement.objects.filter(version__is_current=True)
    safeguarding = {r.title: r.refresher_months for r in current.filter(title__startswith="Safeguarding")}
    assert safeguarding == {"Safeguarding awareness": 36, "Safeguarding level 2": 36, "Safeguarding level 3": 36}
    assert set(current.values_list("band__number", flat=True)) == {1, 2, 3, 4}

    now = timezone.now()
    past = Session.objects.filter(starts_at__lt=now)
    assert past.filter(status=Session.Status.CLOSED).count() >= 5
    assert Booking.objects.filter(session__in=past, status=Booking.Status.ATTENDED).count() >= 30
    assert Booking.objects.filter(session__in=past, status=Booking.Status.NO_SHOW).exists()
    assert Completion.objects.filter(booking__isnull=False).exists() and Completion.objects.filter(
        booking__isnull=True).exists()
    week = Event.objects.get(name__startswith="Every Colleague Matters")
    assert (week.ends_on - week.starts_on).days == 4

    today = timezone.localdate()
    practitioner = User.objects.get(email="practitioner@demo.example")
    states = {cell.state for cell in compliance_of(person=practitioner, today=today).cells}
    assert {State.UP_TO_DATE, State.DUE_SOON, State.OVERDUE, State.NEVER_DONE} <= states
    manager = User.objects.get(email="manager@demo.example")
    team = compliance_matrix(people=User.objects.filter(profile__line_manager=manager), today=today)
    team_states = {cell.state for row in team.rows for cell in row.cells}
    assert {State.UP_TO_DATE, State.DUE_SOON, State.OVERDUE, State.NEVER_DONE} <= team_states
