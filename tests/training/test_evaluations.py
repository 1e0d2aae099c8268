"""Evaluations: one per attended booking, from the attendee only; summaries per session and per course."""

import datetime as dt

import pytest
from django.urls import reverse

from core.roles import Role
from tests.training.factories import BookingFactory, SessionFactory
from training import services
from training.errors import InvalidState, NotAllowed
from training.models import Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    from django.utils import timezone

    return SessionFactory(start=timezone.now() - dt.timedelta(days=2), course__title="Motivational Interviewing")


@pytest.fixture
def attended(session, make_user):
    return BookingFactory(session=session, person=make_user(), status="attended")


def test_the_attendee_gives_feedback_once(client, attended):
    client.force_login(attended.person)
    url = reverse("training:evaluation_create", args=[attended.pk])
    page = client.get(url).content.decode()
    assert "How useful was this session for your work?" in page
    response = client.post(url, {"rating": "4", "comments": "Practical and well paced."}, follow=True)
    assert "Thank you for your feedback." in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.booking, evaluation.rating, evaluation.comments) == (attended, 4, "Practical and well paced.")

    response = client.post(url, {"rating": "1", "comments": "Changed my mind"})
    assert "You rated this session <strong>4 out of 5</strong>" in response.content.decode()
    assert Evaluation.objects.count() == 1
    with pytest.raises(InvalidState):
        services.evaluation_submit(booking=attended, by=attended.person, rating=2)


def test_a_missing_or_wrong_rating_is_shown_next_to_the_field(client, attended):
    client.force_login(attended.person)
    url = reverse("training:evaluation_create", args=[attended.pk])
    page = client.post(url, {"comments": "No rating"}).content.decode()
    assert "There is a problem" in page and "Choose a rating from 1 to 5." in page
    page = client.post(url, {"rating": "9"}).content.decode()
    assert "There is a problem" in page
    assert not Evaluation.objects.exists()


def test_only_attended_bookings_of_your_own(client, session, attended, make_user):
    no_show = BookingFactory(session=session, person=make_user(), status="no_show")
    client.force_login(no_show.person)
    assert client.get(reverse("training:evaluation_create", args=[no_show.pk])).status_code == 404
    assert client.get(reverse("training:evaluation_create", args=[attended.pk])).status_code == 404
    with pytest.raises(NotAllowed):
        services.evaluation_submit(booking=attended, by=no_show.person, rating=5)
    with pytest.raises(InvalidState):
        services.evaluation_submit(booking=no_show, by=no_show.person, rating=5)
    assert not Evaluation.objects.exists()


def test_summaries_per_session_and_course(client, session, make_user):
    for rating, comment in [(5, "Excellent"), (4, ""), (4, "Useful role plays"), (1, "Too long")]:
        booking = BookingFactory(session=session, person=make_user(), status="attended")
        services.evaluation_submit(booking=booking, by=booking.person, rating=rating, comments=comment)
    other = SessionFactory(start=session.starts_at - dt.timedelta(days=30), course=session.course)
    booking = BookingFactory(session=other, person=make_user(), status="attended")
    services.evaluation_submit(booking=booking, by=booking.person, rating=2)

    client.force_login(make_user(Role.TRAINING_COORDINATOR))
    page = client.get(reverse("training:session_register", args=[session.pk])).content.decode()
    assert "<strong>3.5</strong> out of 5 on average, from 4 evaluations" in page
    assert "<th scope=\"row\">4 out of 5</th><td>2</td><td>50%</td>" in page
    assert "Useful role plays" in page and "Too long" in page

    page = client.get(reverse("training:course_evaluations", args=[session.course.pk])).content.decode()
    assert "<strong>3.2</strong> out of 5 on average, from 5 evaluations" in page
    assert "3.5 out of 5" in page and "2.0 out of 5" in page  # per session

    client.force_login(make_user(Role.PRACTITIONER))
    assert client.get(reverse("training:course_evaluations", args=[session.course.pk])).status_code == 404
