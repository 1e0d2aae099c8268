import datetime as dt

import factory
from django.utils import timezone

from training.models import Band, Booking, Completion, Course, Requirement, Session, SessionDate, StandardVersion, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class BandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Band
        django_get_or_create = ("number",)

    number = 3
    label = factory.LazyAttribute(lambda o: f"Band {o.number}")


class StandardVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StandardVersion

    name = factory.Sequence(lambda n: f"Core Training Standard v{n}")
    effective_from = dt.date(2026, 1, 1)
    is_current = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"C{n:03}")
    title = factory.Sequence(lambda n: f"Course number {n}")
    summary = "A course for the children's workforce."
    outcomes = "Know the basics\nApply them"
    audience = "Everyone"
    duration = "3 hours"
    cancellation_notice_days = 7


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement
        skip_postgeneration_save = True

    version = factory.SubFactory(StandardVersionFactory)
    band = factory.SubFactory(BandFactory)
    title = factory.Sequence(lambda n: f"Requirement {n}")

    @factory.post_generation
    def courses(self, create, extracted, **kwargs):
        if create and extracted:
            self.courses.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    """SessionFactory(start=aware datetime, hours=3, days=1): a session with its dates."""

    class Meta:
        model = Session

    start = factory.LazyFunction(
        lambda: (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    )
    hours = 3
    days = 1
    course = factory.SubFactory(CourseFactory)
    capacity = 10
    venue_name = "Civic Centre, Room 2"
    venue_address = "1 Civic Way\nCity"

    @classmethod
    def _create(cls, model_class, *args, start, hours, days, **kwargs):
        session = super()._create(model_class, *args, **kwargs)
        for day in range(days):
            begins = start + dt.timedelta(days=day)
            SessionDate.objects.create(session=session, starts_at=begins, ends_at=begins + dt.timedelta(hours=hours))
        session.starts_at = start
        session.ends_at = start + dt.timedelta(days=days - 1, hours=hours)
        session.save(update_fields=["starts_at", "ends_at"])
        return session


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    status = Booking.Status.CONFIRMED


class CompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Completion

    course = factory.SubFactory(CourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
