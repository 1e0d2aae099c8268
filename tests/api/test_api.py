"""The API as an outside system uses it: a token, JSON in and out, problem bodies for refusals."""

import datetime as dt

import pytest
from django.utils import timezone

from actions.models import Strategy
from core.roles import Role
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.partners.factories import OrganisationFactory
from tests.training.factories import BookingFactory, CompletionFactory, CourseFactory, SessionFactory
from training.models import Booking, Completion

pytestmark = pytest.mark.django_db


def test_sessions_show_places_left(api_as, practitioner, make_user):
    session = SessionFactory(capacity=3)
    BookingFactory(session=session, person=make_user())
    SessionFactory(start=timezone.now() - dt.timedelta(days=1))  # started: not listed
    response = api_as(practitioner).get("/api/v1/sessions/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["id"], r["places_left"], r["course"]) for r in rows] == [(session.pk, 2, session.course.code)]


def test_no_token_is_a_401_naming_bearer(client):
    response = client.get("/api/v1/courses/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Content-Type"] == "application/problem+json"


def test_a_revoked_token_is_refused(token_for, practitioner):
    from rest_framework.test import APIClient

    from identity.services import token_revoke

    secret, token = token_for(practitioner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/courses/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    token_revoke(token=token, by=practitioner)
    assert client.get("/api/v1/courses/").status_code == 401


def test_the_secret_is_not_stored(token_for, practitioner):
    from identity.models import ApiToken

    secret, _ = token_for(practitioner)
    assert not ApiToken.objects.filter(digest__contains=secret[4:20]).exists()
    assert not ApiToken.objects.filter(prefix=secret).exists()


def test_booking_without_the_scope_is_a_403_problem(api_as, practitioner):
    session = SessionFactory()
    response = api_as(practitioner, "read").post("/api/v1/bookings/", {"session": session.pk}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 403 and body["title"] == "Forbidden" and "bookings:write" in body["detail"]
    assert body["type"].startswith("https://")
    assert not Booking.objects.exists()


def test_book_and_cancel_through_the_booking_service(api_as, practitioner):
    session = SessionFactory(capacity=1)
    client = api_as(practitioner, "read", "bookings:write")
    made = client.post("/api/v1/bookings/", {"session": session.pk}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "confirmed"
    again = client.post("/api/v1/bookings/", {"session": session.pk}, format="json")
    assert again.status_code == 400
    assert "already have a booking" in again.json()["errors"]["session"][0]
    booking = Booking.objects.get()
    assert booking.events.count() == 1  # the service's history, as from the page
    assert client.get("/api/v1/bookings/").json()["results"][0]["id"] == booking.pk
    cancelled = client.post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_a_full_session_waitlists(api_as, practitioner, make_user):
    session = SessionFactory(capacity=1)
    BookingFactory(session=session, person=make_user())
    made = api_as(practitioner, "read", "bookings:write").post("/api/v1/bookings/", {"session": session.pk},
                                                               format="json")
    assert made.json()["status"] == "waitlisted"


def test_booking_for_others_needs_scope_and_coordinator(api_as, make_user, practitioner):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    session = SessionFactory()
    body = {"session": session.pk, "person": practitioner.email}
    assert api_as(coordinator, "read", "bookings:write").post("/api/v1/bookings/", body,
                                                              format="json").status_code == 403
    other = make_user()
    refused = api_as(other, "read", "bookings:write", "bookings:others").post("/api/v1/bookings/", body,
                                                                               format="json")
    assert refused.status_code == 400 and not Booking.objects.exists()
    made = api_as(coordinator, "read", "bookings:write", "bookings:others").post("/api/v1/bookings/", body,
                                                                                  format="json")
    assert made.status_code == 201 and made.json()["person"] == practitioner.email
    assert Booking.objects.get().booked_by == coordinator


def test_someone_elses_booking_cannot_be_cancelled(api_as, practitioner, make_user):
    booking = BookingFactory(session=SessionFactory(), person=make_user())
    response = api_as(practitioner, "read", "bookings:write").post(f"/api/v1/bookings/{booking.pk}/cancel/")
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_elearning_completions_are_idempotent(api_as, make_user, practitioner):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    course = CourseFactory(code="SG1")
    client = api_as(coordinator, "read", "completions:write")
    body = {"person": practitioner.email.upper(), "course": "sg1", "completed_on": "2026-11-02",
            "external_id": "lms-123"}
    first = client.post("/api/v1/completions/", body, format="json")
    assert first.status_code == 201, first.json()
    second = client.post("/api/v1/completions/", {**body, "completed_on": "2026-11-03"}, format="json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    completion = Completion.objects.get()
    assert (completion.person, completion.course, completion.completed_on) == (practitioner, course,
                                                                                dt.date(2026, 11, 2))
    bad = client.post("/api/v1/completions/", {**body, "external_id": "x", "course": "NOPE"}, format="json")
    assert bad.status_code == 400 and "course" in bad.json()["errors"]
    assert Completion.objects.count() == 1


def test_a_service_token_reaches_only_its_organisation(api_as, make_user):
    admin = make_user(Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR)
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    inside = make_user(profile={"organisation": mine})
    outside = make_user(profile={"organisation": theirs})
    CourseFactory(code="SG2")
    client = api_as(admin, "read", "completions:write", "people:read", organisation=mine)
    emails = {row["email"] for row in client.get("/api/v1/people/").json()["results"]}
    assert inside.email in emails and outside.email not in emails
    body = {"course": "SG2", "completed_on": "2026-11-02"}
    assert client.post("/api/v1/completions/", {**body, "person": inside.email, "external_id": "a"},
                       format="json").status_code == 201
    refused = client.post("/api/v1/completions/", {**body, "person": outside.email, "external_id": "b"},
                          format="json")
    assert refused.status_code == 400 and Completion.objects.count() == 1


def test_people_are_a_leads_organisation(api_as, make_user):
    home, elsewhere = OrganisationFactory(), OrganisationFactory()
    lead = make_user(profile={"organisation": home, "is_organisation_lead": True})
    colleague = make_user(profile={"organisation": home})
    stranger = make_user(profile={"organisation": elsewhere})
    emails = {r["email"] for r in api_as(lead, "read", "people:read").get("/api/v1/people/").json()["results"]}
    assert colleague.email in emails and stranger.email not in emails
    assert api_as(lead, "read").get("/api/v1/people/").status_code == 403
    assert api_as(colleague, "read", "people:read").get("/api/v1/people/").status_code == 404


def test_completions_read_are_ones_own(api_as, practitioner, make_user):
    CompletionFactory(person=practitioner)
    CompletionFactory(person=make_user())
    rows = api_as(practitioner).get("/api/v1/completions/").json()["results"]
    assert [r["person"] for r in rows] == [practitioner.email]


def test_status_update_needs_strategy_scope_and_lead(api_as, make_user):
    lead = make_user()
    strategy = StrategyFactory(status=Strategy.Status.ACTIVE)
    action = ActionFactory(theme=ThemeFactory(strategy=strategy), leads=[lead])
    other = ActionFactory(theme=ThemeFactory(strategy=strategy))
    body = {"status": "green", "percent_complete": 30, "commentary": "Two sessions ran."}
    assert api_as(lead, "read").post(f"/api/v1/actions/{action.pk}/updates/", body,
                                     format="json").status_code == 403
    client = api_as(lead, "read", "strategy:write")
    assert client.post(f"/api/v1/actions/{other.pk}/updates/", body, format="json").status_code == 404
    made = client.post(f"/api/v1/actions/{action.pk}/updates/", body, format="json")
    assert made.status_code == 201, made.json()
    action.refresh_from_db()
    assert (action.current_status, action.percent_complete) == ("green", 30)
    listed = client.get("/api/v1/actions/").json()["results"]
    assert {r["id"] for r in listed} >= {action.pk, other.pk}


def test_past_the_limit_is_a_429_with_retry_after(api_as, practitioner, settings):
    settings.API_RATE_LIMIT = "5/minute"
    client = api_as(practitioner)
    answers = [client.get("/api/v1/courses/").status_code for _ in range(7)]
    assert answers == [200] * 5 + [429] * 2
    response = client.get("/api/v1/courses/")
    assert int(response["Retry-After"]) > 0
    assert response.json()["status"] == 429
    # another token of the same person has its own allowance
    assert api_as(practitioner).get("/api/v1/courses/").status_code == 200
