"""The demo data has what the issue asks for, so a new user trying the portal meets every case."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from training.models import Band, Booking, Course, Event, Requirement, Session, StandardVersion

pytestmark = pytest.mark.django_db


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
