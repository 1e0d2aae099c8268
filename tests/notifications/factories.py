"""Training objects for reminder tests (sessions with dates, bookings, completions)."""

import datetime as dt

import factory
from django.utils import timezone

from training.models import Booking, Course, Session, SessionDate

LONDON = timezone.get_fixed_timezone(0)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"NC{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course."
    duration = "3 hours"


class SessionFactory(factory.django.DjangoModelFactory):
    """SessionFactory(starts_at=aware datetime) also makes its one SessionDate."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    capacity = 20
    venue_name = "Civic Centre"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))

    @factory.post_generation
    def with_date(self, create, extracted, **kwargs):
        if create:
            SessionDate.objects.create(session=self, starts_at=self.starts_at, ends_at=self.ends_at)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    status = Booking.Status.CONFIRMED
