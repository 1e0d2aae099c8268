"""My training: compliance in colour and words with a way to book each gap, bookings, certificates, feedback."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.training.factories import (
    BandFactory,
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
)

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 4, 1, 11, 0, tzinfo=dt.UTC))
def test_my_training_shows_every_state_and_a_link_to_book_each_gap(client, make_user):
    person = make_user(first_name="Priya", profile={"cts_band": 3})
    version = StandardVersionFactory(name="Core Training Standard 2026")
    band = BandFactory(number=3, label="Regular direct contact")
    courses = {name: CourseFactory(title=name) for name in ["Safeguarding L2", "Signs of Safety", "Prevent",
                                                             "Early Help", "Early Help (online)"]}
    RequirementFactory(version=version, band=band, title="Safeguarding", refresher_months=36,
                       courses=[courses["Safeguarding L2"]])
    RequirementFactory(version=version, band=band, title="Signs of Safety", refresher_months=24,
                       courses=[courses["Signs of Safety"]])
    RequirementFactory(version=version, band=band, title="Prevent", refresher_months=36, courses=[courses["Prevent"]])
    RequirementFactory(version=version, band=band, title="Early help", refresher_months=None,
                       courses=[courses["Early Help"], courses["Early Help (online)"]])
    CompletionFactory(person=person, course=courses["Safeguarding L2"], completed_on=dt.date(2025, 1, 10))
    CompletionFactory(person=person, course=courses["Signs of Safety"], completed_on=dt.date(2024, 5, 20))  # 20 May
    CompletionFactory(person=person, course=courses["Prevent"], completed_on=dt.date(2023, 1, 5))

    BookingFactory(session=SessionFactory(course=courses["Signs of Safety"]), person=person)

    client.force_login(person)
    page = client.get(reverse("training:my_training")).content.decode()
    assert "band 3: Regular direct contact" in page
    assert "Book a session on Signs of Safety" not in page  # already booked: the booking is shown instead
    assert '<span class="badge text-bg-success">Confirmed</span> <a href=' in " ".join(page.split())
    assert '<span class="rag rag-green">Up to date</span>' in page
    assert '<span class="rag rag-amber">Due within 60 days</span>' in page
    assert '<span class="rag rag-red">Overdue</span>' in page
    assert '<span class="rag rag-red">Never done</span>' in page
    assert "20 May 2026" in page  # Signs of Safety due date
    assert f'<a href="{courses["Prevent"].get_absolute_url()}">Book a session on Prevent</a>' in page
    assert f'href="{courses["Early Help (online)"].get_absolute_url()}">Book a session on Early Help (online)' in page
    assert "Book a session on Safeguarding L2" not in page  # up to date: nothing to book
    # The home page's panel says the same of each gap.
    home = " ".join(client.get(reverse("portal:home")).content.decode().split())
    assert "Book a session on Signs of Safety" not in home
    assert '<span class="badge text-bg-success">Confirmed</span> <a href=' in home
    assert f'<a href="{courses["Prevent"].get_absolute_url()}">Book a session on Prevent</a>' in home


def test_my_training_lists_bookings_certificates_and_feedback_due(client, make_user):
    person = make_user()
    from django.utils import timezone

    past = SessionFactory(start=timezone.now() - dt.timedelta(days=3), course__title="Neglect: Don't Neglect the Issue")
    attended = BookingFactory(session=past, person=person, status="attended")
    completion = CompletionFactory(person=person, course=past.course, booking=attended,
                                   completed_on=timezone.localdate() - dt.timedelta(days=3))
    full = SessionFactory(course__title="Solihull Approach", capacity=1)
    BookingFactory(session=full, person=make_user())
    BookingFactory(session=full, person=make_user(), status="waitlisted")
    BookingFactory(session=full, person=person, status="waitlisted")
    BookingFactory(session=SessionFactory(course__title="Domestic abuse awareness"), person=person)

    client.force_login(person)
    page = client.get(reverse("training:my_training")).content.decode()
    assert "Domestic abuse awareness" in page
    assert "you are number 2 on the waiting list" in page
    assert reverse("training:certificate_download", args=[completion.pk]) in page
    assert f'href="{reverse("training:evaluation_create", args=[attended.pk])}"' in page
    assert "The partnership has not published a current version" in page
