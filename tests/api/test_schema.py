"""The OpenAPI schema validates, every operation in it answers as documented, and no input crashes it."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from actions.models import Strategy
from core.roles import Role
from identity.models import Scope
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from training.models import Booking

pytestmark = pytest.mark.django_db


def _schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def everything(make_user, api_as):
    """An administrator who coordinates training and edits the plan, with a token holding every scope."""
    person = make_user(Role.ADMINISTRATOR, Role.TRAINING_COORDINATOR, Role.STRATEGY_GROUP_MEMBER)
    session = SessionFactory()
    booking = BookingFactory(session=SessionFactory(start=session.starts_at + dt.timedelta(days=5)), person=person)
    action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ACTIVE)))
    course = CourseFactory(code="SG2")
    ids = {"/api/v1/courses/{id}/": course.pk, "/api/v1/sessions/{id}/": session.pk,
           "/api/v1/bookings/{id}/": booking.pk, "/api/v1/bookings/{id}/cancel/": booking.pk,
           "/api/v1/people/{id}/": person.pk, "/api/v1/actions/{id}/": action.pk,
           "/api/v1/actions/{id}/updates/": action.pk}
    bodies = {"/api/v1/bookings/": {"session": session.pk},
              "/api/v1/completions/": {"person": person.email, "course": "SG2", "completed_on": "2026-10-01",
                                       "external_id": "e-1"},
              "/api/v1/actions/{id}/updates/": {"status": "amber", "percent_complete": 10, "commentary": "Slow."}}
    return api_as(person, *[s for s in Scope.values if s != Scope.SCIM]), ids, bodies


def test_schema_validates(client, everything):
    api, _ids, _bodies = everything
    schema = _schema(api)
    validate(schema)
    assert "bearerToken" in schema["components"]["securitySchemes"]


def test_every_operation_answers_as_documented(everything):
    api, ids, bodies = everything
    schema = _schema(api)
    called = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            url = path.replace("{id}", str(ids.get(path, 0)))
            response = getattr(api, method)(url, bodies.get(path), format="json")
            documented = {int(code) for code in operation["responses"]}
            assert response.status_code in documented, (method, url, response.status_code, response.content)
            called.append(operation["operationId"])
    assert len(called) == 15


def test_browsable_docs_use_vendored_assets(client, practitioner):
    client.force_login(practitioner)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "https://" not in html.replace("https://workforce-portal.invalid", "")


text = st.one_of(st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans(),
                 st.text(max_size=300), st.lists(st.integers(), max_size=3))
fields = st.dictionaries(st.sampled_from(["session", "person", "confirm_overlap", "course", "completed_on",
                                          "external_id", "status", "percent_complete", "commentary", "page",
                                          "page_size"]), text, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=fields, endpoint=st.sampled_from(["/api/v1/bookings/", "/api/v1/completions/",
                                              "/api/v1/actions/{id}/updates/", "/api/v1/bookings/{id}/cancel/"]))
def test_fuzzed_writes_never_crash_nor_half_write(everything, body, endpoint):
    api, ids, _bodies = everything
    url = endpoint.replace("{id}", str(ids.get(endpoint, 0)))
    before = Booking.objects.count()
    response = api.post(url, body, format="json")
    assert response.status_code in (200, 201, 400, 404), response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert Booking.objects.count() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(["page", "page_size", "format", "search"]),
                             st.text(max_size=40), max_size=3),
       endpoint=st.sampled_from(["/api/v1/courses/", "/api/v1/sessions/", "/api/v1/bookings/",
                                 "/api/v1/completions/", "/api/v1/people/", "/api/v1/actions/"]))
def test_fuzzed_queries_never_crash(everything, query, endpoint):
    api, _ids, _bodies = everything
    response = api.get(endpoint, query)
    assert response.status_code in (200, 404), response.content


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.text(max_size=200), st.sampled_from(['{"session": 1e999}', '{"session": NaN}', "[]",
                                                              '{"person": {"a": 1}}', "null", '"x"'])))
def test_raw_bodies_are_refused_plainly(everything, raw):
    api, _ids, _bodies = everything
    before = Booking.objects.count()
    response = api.generic("POST", "/api/v1/bookings/", raw.encode(), content_type="application/json")
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:
        assert response["Content-Type"] == "application/problem+json"
        assert Booking.objects.count() == before
