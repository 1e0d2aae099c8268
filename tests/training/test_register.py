"""On the day: the register (one by one and in bulk), closing the session, completions, and the CSV exports."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from core.roles import Role
from tests.training.factories import BookingFactory, SessionFactory
from training import services
from training.errors import InvalidState
from training.models import Booking, BookingEvent, Completion, Session

pytestmark = pytest.mark.django_db
S = Booking.Status
DAY = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def on_the_day():
    with time_machine.travel(dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.TRAINING_COORDINATOR, first_name="Cora", last_name="Coordinator")


@pytest.fixture
def session(make_user):
    session = SessionFactory(start=DAY, course__title="Safeguarding children: level 2", course__code="SG2")
    for first, last in [("Ann", "Able"), ("Ben", "Baker"), ("Cat", "Cole")]:
        BookingFactory(session=session, person=make_user(first_name=first, last_name=last))
    return session


def bookings(session):
    return {b.person.first_name: b for b in session.bookings.select_related("person")}


def test_the_coordinator_marks_one_by_one_and_the_history_records_it(client, coordinator, session):
    ann = bookings(session)["Ann"]
    client.force_login(coordinator)
    url = reverse("training:session_register", args=[session.pk])
    page = client.get(url).content.decode()
    assert "Ann Able" in page and "Not marked yet" in page

    response = client.post(url, {"one": f"{ann.pk}:attended"}, follow=True)
    assert "Ann Able marked attended." in response.content.decode()
    ann.refresh_from_db()
    assert ann.status == S.ATTENDED
    assert ann.attendance_marked_by == coordinator
    event = ann.events.last()
    assert (event.from_status, event.to_status, event.by) == (S.CONFIRMED, S.ATTENDED, coordinator)
    assert event.note == "Marked attended."


def test_bulk_marking(client, coordinator, session):
    people = bookings(session)
    client.force_login(coordinator)
    response = client.post(reverse("training:session_register", args=[session.pk]),
                           {"booking": [people["Ann"].pk, people["Ben"].pk], "bulk": "no_show"}, follow=True)
    assert "2 people marked did not attend." in response.content.decode()
    assert sorted(session.bookings.values_list("status", flat=True)) == [S.CONFIRMED, S.NO_SHOW, S.NO_SHOW]


def test_bulk_with_nobody_ticked_changes_nothing(client, coordinator, session):
    client.force_login(coordinator)
    response = client.post(reverse("training:session_register", args=[session.pk]), {"bulk": "attended"},
                           follow=True)
    assert "Tick at least one person" in response.content.decode()
    assert set(session.bookings.values_list("status", flat=True)) == {S.CONFIRMED}


def test_a_booking_of_another_session_cannot_be_marked(coordinator, session):
    elsewhere = BookingFactory(session=SessionFactory(start=DAY), person=coordinator)
    with pytest.raises(InvalidState):
        services.attendance_mark(session=session, booking_ids=[elsewhere.pk, bookings(session)["Ann"].pk],
                                 attended=True, by=coordinator)
    assert not session.bookings.filter(status=S.ATTENDED).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.CONFIRMED


def test_no_marking_before_the_day(coordinator, make_user):
    later = SessionFactory(start=DAY + dt.timedelta(days=1))
    booking = BookingFactory(session=later, person=make_user())
    with pytest.raises(InvalidState, match="from the day the session starts"):
        services.attendance_mark(session=later, booking_ids=[booking.pk], attended=True, by=coordinator)


def test_closing_needs_everyone_marked_then_creates_one_completion_per_attendee(coordinator, session, make_user):
    people = bookings(session)
    waiting = BookingFactory(session=session, person=make_user(), status=S.WAITLISTED)
    services.attendance_mark(session=session, booking_ids=[people["Ann"].pk, people["Ben"].pk], attended=True,
                             by=coordinator)
    with pytest.raises(InvalidState, match="1 person is not marked yet"):
        services.session_close(session=session, by=coordinator)
    assert not Completion.objects.exists()

    services.attendance_mark(session=session, booking_ids=[people["Cat"].pk], attended=False, by=coordinator)
    services.session_close(session=session, by=coordinator)
    session.refresh_from_db()
    assert session.status == Session.Status.CLOSED
    completions = Completion.objects.select_related("person", "course")
    assert sorted(c.person.first_name for c in completions) == ["Ann", "Ben"]
    ann = completions.get(person__first_name="Ann")
    assert ann.course == session.course and ann.completed_on == dt.date(2026, 3, 10)
    assert ann.certificate_number == f"CTS-2026-{ann.pk:06d}"
    waiting.refresh_from_db()
    assert waiting.status == S.CANCELLED

    services.session_close(session=session, by=coordinator)  # again: nothing new
    services.attendance_mark(session=session, booking_ids=[people["Ann"].pk], attended=True, by=coordinator)
    assert Completion.objects.count() == 2


def test_closing_tells_those_still_waiting_that_their_request_lapsed(coordinator, session, make_user,
                                                                     send_mail_on_commit):
    waiting = BookingFactory(session=session, person=make_user(email="wendy@example.org"), status=S.WAITLISTED)
    services.attendance_mark(session=session, booking_ids=[b.pk for b in bookings(session).values()
                                                           if b.pk != waiting.pk], attended=True, by=coordinator)
    send_mail_on_commit(services.session_close, session=session, by=coordinator)
    (email,) = [m for m in send_mail_on_commit.outbox if m.to == ["wendy@example.org"]]
    assert email.subject == "Booking cancelled: Safeguarding children: level 2"
    assert "The session has taken place without a place for you, so your request has lapsed." in email.body


def test_a_session_cannot_be_closed_before_it_begins(client, coordinator, make_user):
    later_today = SessionFactory(start=dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC))
    booking = BookingFactory(session=later_today, person=make_user())
    services.attendance_mark(session=later_today, booking_ids=[booking.pk], attended=True, by=coordinator)  # arrivals
    with pytest.raises(InvalidState, match="once it has begun: its last date starts at 18:00 on Tue 10 Mar 2026"):
        services.session_close(session=later_today, by=coordinator)
    assert not Completion.objects.exists()
    client.force_login(coordinator)
    page = client.get(reverse("training:session_register", args=[later_today.pk])).content.decode()
    assert ("You can close the session once it has begun: its last date starts at 18:00 on Tuesday 10 March "
            "2026.") in page
    assert "Close the session</button>" not in page


def test_correcting_a_mark_after_closing_moves_the_completion(coordinator, session):
    people = bookings(session)
    services.attendance_mark(session=session, booking_ids=[b.pk for b in people.values()], attended=True,
                             by=coordinator)
    services.session_close(session=session, by=coordinator)
    assert Completion.objects.count() == 3

    services.attendance_mark(session=session, booking_ids=[people["Ben"].pk], attended=False, overwrite=True,
                             by=coordinator)
    assert not Completion.objects.filter(person=people["Ben"].person).exists()
    assert BookingEvent.objects.filter(booking=people["Ben"]).last().note == (
        "Marked did not attend. Completion and certificate withdrawn."
    )
    services.attendance_mark(session=session, booking_ids=[people["Ben"].pk], attended=True, overwrite=True,
                             by=coordinator)
    assert Completion.objects.filter(person=people["Ben"].person).count() == 1
    assert Completion.objects.count() == 3


def test_closing_through_the_page(client, coordinator, session):
    client.force_login(coordinator)
    close = reverse("training:session_register_close", args=[session.pk])
    response = client.post(close, {"confirm": "close"}, follow=True)
    assert "3 people are not marked yet" in response.content.decode()
    register = reverse("training:session_register", args=[session.pk])
    client.post(register, {"booking": [b.pk for b in bookings(session).values()], "bulk": "attended"})
    response = client.post(close, {"confirm": "close"}, follow=True)
    page = response.content.decode()
    assert "Session closed." in page
    assert page.count("Certificate<span") == 3


def test_select_all_then_attended_never_turns_a_no_show_into_attended(client, coordinator, session,
                                                                       send_mail_on_commit):
    """The defect: Ben marked did not attend, everyone ticked, "Mark ticked people attended" said "3 people
    marked attended", and closing gave Ben a completion and emailed him a certificate."""
    people = bookings(session)
    client.force_login(coordinator)
    register = reverse("training:session_register", args=[session.pk])
    client.post(register, {"one": f"{people['Ben'].pk}:no_show"})

    response = client.post(register, {"booking": [b.pk for b in people.values()], "bulk": "attended"}, follow=True)
    page = response.content.decode()
    assert "2 people marked attended." in page
    assert "Ben Baker was already marked did not attend, so left as marked." in page
    assert "Change 1 mark to attended?" in page  # the register asks, and changes nothing until told
    assert bookings(session)["Ben"].status == S.NO_SHOW

    response = send_mail_on_commit(client.post, reverse("training:session_register_close", args=[session.pk]),
                                   {"confirm": "close"}, follow=True)
    assert "Session closed." in response.content.decode()
    assert sorted(Completion.objects.values_list("person__first_name", flat=True)) == ["Ann", "Cat"]
    assert people["Ben"].person.email not in [m.to[0] for m in send_mail_on_commit.outbox]


def test_a_no_show_changes_to_attended_only_when_the_register_is_told_to(client, coordinator, session):
    people = bookings(session)
    services.attendance_mark(session=session, booking_ids=[people["Ben"].pk], attended=False, by=coordinator)
    client.force_login(coordinator)
    register = reverse("training:session_register", args=[session.pk])
    response = client.post(register, {"booking": [people["Ben"].pk], "bulk": "attended"}, follow=True)
    assert "marked attended." not in response.content.decode()
    assert bookings(session)["Ben"].status == S.NO_SHOW

    response = client.post(register, {"booking": [people["Ben"].pk], "bulk": "attended", "overwrite": "on"},
                           follow=True)
    assert "Ben Baker marked attended." in response.content.decode()
    assert bookings(session)["Ben"].status == S.ATTENDED
    assert bookings(session)["Ben"].events.last().note == "Marked attended."


def test_a_bulk_no_show_leaves_those_marked_attended_as_they_were(coordinator, session):
    people = bookings(session)
    services.attendance_mark(session=session, booking_ids=[people["Ann"].pk], attended=True, by=coordinator)
    marks = services.attendance_mark(session=session, booking_ids=[b.pk for b in people.values()], attended=False,
                                     by=coordinator)
    assert [b.person.first_name for b in marks.changed] == ["Ben", "Cat"]
    assert [b.person.first_name for b in marks.left] == ["Ann"]
    assert bookings(session)["Ann"].status == S.ATTENDED


def test_closing_shows_a_summary_and_asks_first(client, coordinator, session, make_user):
    people = bookings(session)
    BookingFactory(session=session, person=make_user(first_name="Wendy", last_name="Waiting"),
                   status=S.WAITLISTED)
    services.attendance_mark(session=session, booking_ids=[people["Ann"].pk], attended=True, by=coordinator)
    services.attendance_mark(session=session, booking_ids=[people["Ben"].pk], attended=False, by=coordinator)
    client.force_login(coordinator)
    close = reverse("training:session_register_close", args=[session.pk])

    page = client.get(close).content.decode()
    assert "Mark 1 person first" in page and "Cat Cole" in page
    assert "Wendy Waiting" in page
    assert 'name="confirm"' not in page  # nothing to confirm while someone is unmarked
    client.post(close)  # a post without the confirmation closes nothing
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED

    # Marked on the summary page itself, which it returns to.
    response = client.post(reverse("training:session_register", args=[session.pk]),
                           {"one": f"{people['Cat'].pk}:no_show", "next": "close"})
    assert response.url == close
    page = client.get(close).content.decode()
    assert "Close the session: 1 completion" in page
    assert Session.objects.get(pk=session.pk).status == Session.Status.SCHEDULED

    client.post(close, {"confirm": "close"})
    assert Session.objects.get(pk=session.pk).status == Session.Status.CLOSED
    assert list(Completion.objects.values_list("person__first_name", flat=True)) == ["Ann"]


def test_practitioners_cannot_open_the_register_but_the_sessions_trainer_can(client, session, make_user):
    practitioner = bookings(session)["Ann"].person
    client.force_login(practitioner)
    for name in ("session_register", "session_sign_in_sheet", "session_attendees_export"):
        assert client.get(reverse(f"training:{name}", args=[session.pk])).status_code == 404
    for method in (client.get, client.post):
        assert method(reverse("training:session_register_close", args=[session.pk])).status_code == 404
    assert client.post(reverse("training:session_register", args=[session.pk]),
                       {"one": f"{bookings(session)['Ann'].pk}:attended"}).status_code == 404
    assert bookings(session)["Ann"].status == S.CONFIRMED

    trainer = make_user(Role.PRACTITIONER)
    session.trainers.add(trainer)
    client.force_login(trainer)
    register = reverse("training:session_register", args=[session.pk])
    assert f'href="{register}"' in client.get(reverse("training:my_training")).content.decode()
    assert client.get(register).status_code == 200


def test_attendees_and_course_history_csv(client, coordinator, session, make_user):
    people = bookings(session)
    people["Ann"].person.first_name = "=HYPERLINK(1)"
    people["Ann"].person.save()
    services.attendance_mark(session=session, booking_ids=[people["Ben"].pk], attended=True, by=coordinator)
    client.force_login(coordinator)
    response = client.get(reverse("training:session_attendees_export", args=[session.pk]))
    assert response["Content-Type"] == "text/csv"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == ("Name,Email,Organisation,Job title,Band,Status,Attendance marked at,"
                                    "Certificate number")
    assert "'=HYPERLINK(1) Able" in text
    assert "Ben Baker" in text and ",Attended,2026-03-10 13:00," in text

    cancelled = BookingFactory(session=SessionFactory(start=DAY - dt.timedelta(days=60), course=session.course),
                               person=make_user(first_name="Dan", last_name="Dropped"), status=S.CANCELLED)
    response = client.get(reverse("training:course_history_export", args=[session.course.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 4
    assert "Dan Dropped" in lines[1] and "Cancelled" in lines[1]
    assert cancelled.session.starts_at < session.starts_at
    client.force_login(people["Ben"].person)
    assert client.get(reverse("training:course_history_export", args=[session.course.pk])).status_code == 404


def test_attendees_are_emailed_their_certificate_and_feedback_links_once(coordinator, session, send_mail_on_commit):
    people = bookings(session)
    services.attendance_mark(session=session, booking_ids=[people["Ann"].pk, people["Ben"].pk], attended=True,
                             by=coordinator)
    services.attendance_mark(session=session, booking_ids=[people["Cat"].pk], attended=False, by=coordinator)
    send_mail_on_commit(services.session_close, session=session, by=coordinator)
    send_mail_on_commit(services.session_close, session=session, by=coordinator)
    outbox = send_mail_on_commit.outbox
    assert sorted(m.to[0] for m in outbox) == sorted([people["Ann"].person.email, people["Ben"].person.email])
    ann = next(m for m in outbox if m.to == [people["Ann"].person.email])
    assert ann.subject == "Your certificate: Safeguarding children: level 2"
    completion = Completion.objects.get(booking=people["Ann"])
    assert reverse("training:certificate_download", args=[completion.pk]) in ann.body
    assert reverse("training:evaluation_create", args=[people["Ann"].pk]) in ann.body
    assert ann.alternatives and "Download your certificate" in ann.alternatives[0][0]


def test_a_mark_corrected_back_to_attended_keeps_the_first_certificate_and_emails_once(
    client, coordinator, session, send_mail_on_commit
):
    """Attended → did not attend → attended on a closed session: the certificate number Ben was emailed stays
    his, and he is not emailed a second certificate."""
    people = bookings(session)
    ben = people["Ben"]
    send_mail_on_commit(services.attendance_mark, session=session, booking_ids=[b.pk for b in people.values()],
                        attended=True, by=coordinator)
    send_mail_on_commit(services.session_close, session=session, by=coordinator)
    first = Completion.objects.get(booking=ben)
    [email] = [m for m in send_mail_on_commit.outbox if m.to == [ben.person.email]]
    for attended in (False, True, False, True):
        send_mail_on_commit(services.attendance_mark, session=session, booking_ids=[ben.pk], attended=attended,
                            overwrite=True, by=coordinator)
    completion = Completion.objects.get(booking=ben)
    assert completion.certificate_number == first.certificate_number
    assert [m.subject for m in send_mail_on_commit.outbox if m.to == [ben.person.email]] == [
        "Your certificate: Safeguarding children: level 2"]
    # The link in the email he was sent still leads to his certificate.
    link = reverse("training:certificate_download", args=[first.pk])
    assert link in email.body
    client.force_login(ben.person)
    response = client.get(link)
    assert response.status_code == 200
    assert first.certificate_number in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_a_walk_in_is_added_by_email_or_name_marked_attended_and_gets_a_completion(client, coordinator, session,
                                                                                     make_user):
    """Issue 14: a coordinator adds someone who came without a place to the register of a session under way."""
    dora = make_user(first_name="Dora", last_name="Walker", email="dora.walker@example.org")
    make_user(first_name="Dan", last_name="Walker")
    client.force_login(coordinator)
    url = reverse("training:session_walk_in", args=[session.pk])
    register = reverse("training:session_register", args=[session.pk])
    assert "Add as a walk-in" in client.get(register).content.decode()

    ambiguous = client.post(url, {"who": "Walker"}, follow=True).content.decode()
    assert "2 people match “Walker”: type their email address instead." in ambiguous
    unknown = client.post(url, {"who": "Zed Nobody"}, follow=True).content.decode()
    assert "No one in the partnership matches “Zed Nobody”" in unknown
    assert not Booking.objects.filter(walk_in=True).exists()

    page = client.post(url, {"who": "Dora Walker"}, follow=True).content.decode()
    assert "Dora Walker added as a walk-in and marked attended." in page and "Walk-in" in page
    walk_in = Booking.objects.get(person=dora)
    assert (walk_in.status, walk_in.walk_in, walk_in.booked_by) == (S.ATTENDED, True, coordinator)
    again = client.post(url, {"who": "dora.walker@example.org"}, follow=True).content.decode()
    assert "Dora Walker is already on this session (attended)" in again
    assert Booking.objects.filter(person=dora).count() == 1

    for booking in session.bookings.filter(status=S.CONFIRMED):
        services.attendance_mark(session=session, booking_ids=[booking.pk], attended=True, by=coordinator)
    services.session_close(session=session, by=coordinator)
    assert Completion.objects.filter(person=dora, booking=walk_in).exists()


def test_a_walk_in_waits_for_the_session_to_begin(client, coordinator, make_user):
    later = SessionFactory(start=DAY + dt.timedelta(hours=6))
    with pytest.raises(InvalidState, match="once the session has begun"):
        services.walk_in_add(session=later, person=make_user(), by=coordinator)
