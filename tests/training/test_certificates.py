"""Certificates and sign-in sheets: real PDFs (read back with pypdf) with the right name, course and date;
nobody but the attendee (and coordinators, and the session's trainers) can open a certificate."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from core.roles import Role
from tests.pdf_structure import table_headers
from tests.training.factories import BookingFactory, SessionFactory
from training import services

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 6, 9, 8, 30, tzinfo=dt.UTC)  # 09:30 in London (BST)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def assert_tagged(content: bytes, *, title: str) -> set[str]:
    """Tagged for accessibility (PDF/UA-1, as the Board report's test checks): marked, a structure tree, the
    language and the title. Returns the structure types used (/H1, /P, /Table, …)."""
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "pdfuaid" in reader.xmp_metadata.stream.get_data().decode()

    types, todo = set(), [root["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            types.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            todo.extend(kids if isinstance(kids, list) else [kids])
    return types


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(dt.datetime(2026, 6, 9, 15, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.TRAINING_COORDINATOR)


@pytest.fixture
def session():
    return SessionFactory(start=DAY, course__title="Signs of Safety: foundation", course__code="SOS1",
                          venue_name="Meadow House")


@pytest.fixture
def attended(session, coordinator, make_user):
    """Priya Shah attended and the session is closed: she has a completion."""
    booking = BookingFactory(session=session, person=make_user(first_name="Priya", last_name="Shah"))
    services.attendance_mark(session=session, booking_ids=[booking.pk], attended=True, by=coordinator)
    services.session_close(session=session, by=coordinator)
    booking.refresh_from_db()
    return booking


def test_the_attendee_downloads_their_certificate(client, attended):
    completion = attended.completion
    client.force_login(attended.person)
    response = client.get(reverse("training:certificate_download", args=[completion.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-SOS1-2026-06-09.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Certificate of completion" in text
    assert "Priya Shah" in text
    assert "Signs of Safety: foundation (SOS1)" in text
    assert "Completed on 9 June 2026" in text
    assert completion.certificate_number in text
    types = assert_tagged(response.content,
                          title="Certificate of completion: Signs of Safety: foundation – Priya Shah")
    assert {"/H1", "/P"} <= types and "/Table" not in types  # no layout table read out as data


def test_nobody_else_can_open_it_but_coordinators_and_the_trainer_can(client, attended, make_user, coordinator):
    url = reverse("training:certificate_download", args=[attended.completion.pk])
    client.force_login(make_user(Role.PRACTITIONER))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.LINE_MANAGER))
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    trainer = make_user(Role.PRACTITIONER)
    attended.session.trainers.add(trainer)
    client.force_login(trainer)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_no_certificate_once_the_mark_is_corrected(client, attended, coordinator):
    pk = attended.completion.pk
    services.attendance_mark(session=attended.session, booking_ids=[attended.pk], attended=False, overwrite=True,
                             by=coordinator)
    client.force_login(attended.person)
    assert client.get(reverse("training:certificate_download", args=[pk])).status_code == 404


def test_the_sign_in_sheet_lists_everyone_holding_a_place(client, session, coordinator, make_user):
    BookingFactory(session=session, person=make_user(first_name="Priya", last_name="Shah",
                                                     profile={"job_title": "Health visitor"}))
    BookingFactory(session=session, person=make_user(first_name="Tom", last_name="Okafor"))
    BookingFactory(session=session, person=make_user(first_name="Wendy", last_name="Waiting"), status="waitlisted")
    client.force_login(coordinator)
    response = client.get(reverse("training:session_sign_in_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Sign-in sheet: Signs of Safety: foundation (SOS1)" in text
    assert "Tuesday 9 June 2026, 09:30–12:30" in text
    assert "Priya Shah" in text and "Health visitor" in text and "Tom Okafor" in text
    assert "Wendy Waiting" not in text
    assert "2 of 10 places taken" in text
    types = assert_tagged(response.content, title="Sign-in sheet: Signs of Safety: foundation")
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= types
    headers = table_headers(response.content)
    assert headers and all(scope is not None for _group, scope in headers), headers  # PDF/UA: every TH scoped


def test_a_recorded_completion_has_a_certificate_too(client, make_user):
    from tests.training.factories import CompletionFactory, CourseFactory

    person = make_user(first_name="Ola", last_name="Nowak")
    completion = CompletionFactory(person=person, course=CourseFactory(title="Prevent awareness", code='PR "1"'),
                                   completed_on=dt.date(2024, 2, 29), certificate_number="CTS-2024-000042")
    client.force_login(person)
    response = client.get(reverse("training:certificate_download", args=[completion.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="certificate-PR-1-2024-02-29.pdf"'
    text = pdf_text(response.content)
    assert "Ola Nowak" in text and "Prevent awareness" in text and "Completed on 29 February 2024" in text
    assert "CTS-2024-000042" in text


def test_a_two_day_sheet_across_the_clock_change_has_london_times_and_a_box_per_day(client, coordinator, make_user):
    from zoneinfo import ZoneInfo

    from training.models import SessionDate

    london = ZoneInfo("Europe/London")
    session = SessionFactory(start=dt.datetime(2031, 10, 25, 9, 30, tzinfo=london), hours=7,
                             course__title="Motivational Interviewing: introduction", course__code="MI-I")
    SessionDate.objects.create(session=session, starts_at=dt.datetime(2031, 10, 27, 9, 30, tzinfo=london),
                               ends_at=dt.datetime(2031, 10, 27, 16, 30, tzinfo=london))
    BookingFactory(session=session, person=make_user(first_name="Priya", last_name="Shah"))
    client.force_login(coordinator)
    text = pdf_text(client.get(reverse("training:session_sign_in_sheet", args=[session.pk])).content)
    flat = " ".join(text.split())
    assert "Saturday 25 October 2031, 09:30–16:30; Monday 27 October 2031, 09:30–16:30" in flat
    assert "Signature Sat 25 Oct" in flat and "Signature Mon 27 Oct" in flat
    assert "Priya Shah" in flat
