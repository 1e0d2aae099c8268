"""The catalogue's filters one by one, as a practitioner would use them (the results list's headings)."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.partners.factories import OrganisationFactory
from tests.training.factories import BandFactory, BookingFactory, CourseFactory, RequirementFactory, SessionFactory
from training.models import Event

pytestmark = pytest.mark.django_db


CARD_TITLE = re.compile(r'<h3 class="h5 card-title" id="course-\d+"><a href="[^"]+">([^<]+)</a>')


def found(client, **params) -> set[str]:
    """The titles of the course cards the page shows."""
    response = client.get(reverse("training:catalogue"), params)
    assert response.status_code == 200
    return {html.unescape(title) for title in CARD_TITLE.findall(response.content.decode())}


def days(n: int):
    return (timezone.localtime() + dt.timedelta(days=n)).replace(hour=9, minute=30, second=0, microsecond=0)


@pytest.fixture
def signed_in(client, practitioner):
    client.force_login(practitioner)
    return client


def test_band_finds_what_the_current_standard_asks_of_that_band(signed_in):
    level3 = CourseFactory(title="Safeguarding level 3")
    level1 = CourseFactory(title="Safeguarding awareness")
    RequirementFactory(band=BandFactory(number=4), courses=[level3])
    assert found(signed_in, band="4") == {"Safeguarding level 3"}
    assert found(signed_in) == {level3.title, level1.title}


def test_provider(signed_in):
    health = OrganisationFactory(name="Community Health NHS Trust")
    CourseFactory(title="Solihull Approach", provider=health)
    CourseFactory(title="Neglect toolkit", provider=OrganisationFactory(name="City Council"))
    assert found(signed_in, provider=health.pk) == {"Solihull Approach"}


def test_delivery_modes_including_virtual(signed_in):
    CourseFactory(title="Future in Mind", delivery_mode="virtual")
    CourseFactory(title="Prevent", delivery_mode="elearning")
    CourseFactory(title="Domestic abuse", delivery_mode="classroom")
    assert found(signed_in, delivery_mode="virtual") == {"Future in Mind"}
    assert found(signed_in, delivery_mode="elearning") == {"Prevent"}


def test_multi_day_event_finds_event_courses_and_courses_running_in_an_event(signed_in):
    CourseFactory(title="Welcome Event", delivery_mode="event")
    neglect = CourseFactory(title="Don't Neglect the Issue", delivery_mode="classroom")
    CourseFactory(title="Domestic abuse", delivery_mode="classroom")
    week = Event.objects.create(name="Every Colleague Matters", slug="ecm", starts_on=days(20).date(),
                                ends_on=days(24).date())
    SessionFactory(course=neglect, event=week, start=days(21))
    assert found(signed_in, delivery_mode="event") == {"Welcome Event", "Don't Neglect the Issue"}


def test_date_range_from_and_until(signed_in):
    SessionFactory(course=CourseFactory(title="Soon"), start=days(5))
    SessionFactory(course=CourseFactory(title="Later"), start=days(40))
    CourseFactory(title="Unscheduled")
    from_day, until_day = days(10).date().isoformat(), days(50).date().isoformat()
    assert found(signed_in, date_from=from_day) == {"Later"}
    assert found(signed_in, date_from=from_day, date_to=until_day) == {"Later"}
    assert found(signed_in, date_to=days(5).date().isoformat()) == {"Soon"}  # the last day counts in full


def test_places_free_and_a_date_range_mean_a_free_place_inside_the_range(signed_in, make_user):
    """A course full in June but with places in September is not what someone wanting June can book."""
    course = CourseFactory(title="Signs of Safety")
    full = SessionFactory(course=course, start=days(10), capacity=1)
    BookingFactory(session=full, person=make_user())
    SessionFactory(course=course, start=days(60), capacity=5)
    soon = {"date_from": days(9).date().isoformat(), "date_to": days(11).date().isoformat()}
    assert found(signed_in, **soon) == {"Signs of Safety"}
    assert found(signed_in, places_free="on") == {"Signs of Safety"}
    assert found(signed_in, places_free="on", **soon) == set()


def test_required_for_me_without_a_band_explains_why_it_finds_nothing(client):
    from tests.workforce.factories import UserFactory

    CourseFactory(title="Anything")
    person = UserFactory()  # no staff profile yet, so no band
    client.force_login(person)
    assert found(client, required_for_me="on") == set()
    response = client.get(reverse("training:catalogue"), {"required_for_me": "on"})
    assert "No courses match" in response.content.decode()
    assert "Your profile has no Core Training Standard band" in response.content.decode()


def test_words_must_all_match_across_title_summary_outcomes_and_audience(signed_in):
    CourseFactory(title="Motivational Interviewing: introduction", summary="Conversations about change.")
    CourseFactory(title="Motivational Interviewing: refresher", summary="For those trained before.",
                  audience="Youth workers")
    assert found(signed_in, q="motivational change") == {"Motivational Interviewing: introduction"}
    assert found(signed_in, q="interviewing youth") == {"Motivational Interviewing: refresher"}
    assert found(signed_in, q="nothing-like-this") == set()
