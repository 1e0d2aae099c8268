"""Every booking and session email as people receive it: HTML and text, clear words, the right person copied,
links that work, and calendar files (read back with icalendar) that add, update and remove the right entries."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from icalendar import Calendar

from core.roles import Role
from tests.training.factories import BookingFactory, CourseFactory, SessionFactory
from training import services
from training.errors import NotAllowed
from training.models import Booking

pytestmark = pytest.mark.django_db
S = Booking.Status
LONDON = ZoneInfo("Europe/London")


def to(outbox, person):
    return [m for m in outbox if person.email in m.to]


def calendar(mail, name="invitation.ics"):
    [(text, mimetype)] = [(content, mimetype) for filename, content, mimetype in mail.attachments if filename == name]
    cal = Calendar.from_ical(text)
    return cal, list(cal.walk("VEVENT")), mimetype


def assert_well_formed(mail):
    """Text and HTML parts, both filled in, no template left unrendered."""
    [(html, kind)] = mail.alternatives
    assert kind == "text/html"
    for part in (mail.body, html):
        assert "{{" not in part and "{%" not in part
        assert "Dear " in part and "Workforce Portal" in part
    assert "<p>" in html and "<p>" not in mail.body


def test_every_email_of_a_booking_life_has_html_and_text_and_says_what_happened(
    make_user, manager, team_member, send_mail_on_commit
):
    """Request → approval → waiting list → promotion → change → cancellation, and the others on the way."""
    run, outbox = send_mail_on_commit, send_mail_on_commit.outbox
    course = CourseFactory(title="Safeguarding children: level 3", needs_manager_approval=True, copy_line_manager=True)
    session = SessionFactory(course=course, capacity=1)
    asker, holder = team_member(first_name="Asha"), team_member(first_name="Hal")
    coordinator = make_user(Role.TRAINING_COORDINATOR)

    held = run(services.booking_create, session=session, person=holder)
    run(services.booking_approve, booking=held, by=manager)
    asked = run(services.booking_create, session=session, person=asker)
    run(services.booking_approve, booking=asked, by=manager)  # full by now: approved onto the waiting list
    run(services.booking_cancel, booking=held, by=holder)  # Asha is promoted
    new_start = session.starts_at + dt.timedelta(days=1)
    run(services.session_update, session=session, by=coordinator, capacity=1, venue_name="Library, Room 1",
        dates=[services.DateSpan(starts_at=new_start, ends_at=new_start + dt.timedelta(hours=3))])
    run(services.session_cancel, session=session, by=coordinator, reason="The trainer is unwell.")

    for mail in outbox:
        assert_well_formed(mail)
    subjects = [m.subject for m in to(outbox, asker)]
    title = course.title
    assert subjects == [
        f"Waiting for approval: {title}",
        f"Approved, on the waiting list: {title}",
        f"You have a place: {title}",
        f"Changed: {title}",
        f"Cancelled: {title}",
    ]
    asker_mail = to(outbox, asker)
    assert "has approved your booking, but the session filled up" in asker_mail[1].body
    assert "number 1" in asker_mail[1].body
    assert "A session you are booked on has changed: dates or times, venue." in asker_mail[3].body
    assert "The trainer is unwell." in asker_mail[4].body
    held_mail = to(outbox, holder)
    assert held_mail[1].subject == f"Booking approved: {title}"
    assert f"Your line manager, {manager}, has approved your booking. Your place is booked." in held_mail[1].body
    assert held_mail[2].subject == f"Booking cancelled: {title}"
    # The manager gets one email per request to decide on, never a copy of the person's "waiting" notice;
    # the outcomes and later changes are copied to them, as the course asks.
    assert [m.subject for m in to(outbox, manager)] == [
        f"Please approve or decline: {holder} – {title}", f"Please approve or decline: {asker} – {title}",
    ]
    copied = [m.subject.split(":")[0] for m in outbox if manager.email in m.cc]
    assert "Waiting for approval" not in copied
    assert {"Booking approved", "Approved, on the waiting list", "You have a place", "Changed"} <= set(copied)


def test_leaving_a_waiting_list_says_so(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    services.booking_create(session=session, person=make_user())
    person = make_user()
    waiting = services.booking_create(session=session, person=person)
    send_mail_on_commit(services.booking_cancel, booking=waiting, by=person)
    [mail] = send_mail_on_commit.outbox
    assert mail.subject == f"You have left the waiting list: {session.course.title}"
    assert "You have left the waiting list." in mail.body and "Your booking is cancelled" not in mail.body
    assert mail.attachments == []  # it was never in their calendar


def test_someone_waiting_hears_of_a_change_as_someone_waiting(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    services.booking_create(session=session, person=make_user())
    person = make_user()
    services.booking_create(session=session, person=person)
    start = session.starts_at
    send_mail_on_commit(services.session_update, session=session, by=person, capacity=1, venue_name="Elsewhere",
                        dates=[services.DateSpan(starts_at=start, ends_at=start + dt.timedelta(hours=3))])
    [mail] = to(send_mail_on_commit.outbox, person)
    assert "A session you are on the waiting list for has changed: venue." in mail.body
    assert "leave the waiting list" in mail.body
    assert mail.attachments == []


def test_the_approval_link_in_the_managers_email_opens_the_decision(client, manager, team_member,
                                                                   send_mail_on_commit):
    person = team_member(first_name="Priya")
    session = SessionFactory(course=CourseFactory(needs_manager_approval=True))
    booking = send_mail_on_commit(services.booking_create, session=session, person=person)
    [mail] = to(send_mail_on_commit.outbox, manager)
    [link] = re.findall(r"https?://\S+/approvals/\d+/", mail.body)
    assert f'href="{link}"' in mail.alternatives[0][0]
    path = "/" + link.split("/", 3)[3]

    response = client.get(path)
    assert response.status_code == 302 and "next=" in response["Location"]  # sign in first, then back here
    client.force_login(manager)
    page = client.get(path).content.decode()
    assert "Approve or decline Priya" in page and 'value="approve"' in page and 'value="decline"' in page
    response = send_mail_on_commit(client.post, path, {"decision": "approve"}, follow=True)
    assert "approved: the place is confirmed" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED
    assert to(send_mail_on_commit.outbox, person)[-1].subject == f"Booking approved: {session.course.title}"


def test_a_recorded_line_manager_without_the_role_can_still_decide(client, make_user, send_mail_on_commit):
    """The email goes to whoever the profile names as line manager; the link must work for them."""
    boss = make_user(Role.PRACTITIONER, first_name="Bea")
    person = make_user(profile={"line_manager": boss})
    booking = send_mail_on_commit(services.booking_create, person=person,
                                  session=SessionFactory(course=CourseFactory(needs_manager_approval=True)))
    assert to(send_mail_on_commit.outbox, boss)
    client.force_login(boss)
    assert client.get(reverse("training:approvals")).status_code == 200
    response = client.post(reverse("training:approval_decide", args=[booking.pk]),
                           {"decision": "decline", "reason": "Not this quarter"}, follow=True)
    assert "declined" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.DECLINED
    client.force_login(make_user(Role.PRACTITIONER))  # someone who manages nobody
    assert client.get(reverse("training:approvals")).status_code == 404
    assert client.get(reverse("training:approval_decide", args=[booking.pk])).status_code == 404


def test_line_managers_are_copied_on_every_booking_email_where_the_course_says_so(
    make_user, manager, team_member, send_mail_on_commit
):
    person = team_member()
    session = SessionFactory(course=CourseFactory(copy_line_manager=True), capacity=3)
    booking = send_mail_on_commit(services.booking_create, session=session, person=person)
    start = session.starts_at + dt.timedelta(hours=1)
    send_mail_on_commit(services.session_update, session=session, by=make_user(), capacity=3,
                        dates=[services.DateSpan(starts_at=start, ends_at=start + dt.timedelta(hours=3))])
    send_mail_on_commit(services.booking_cancel, booking=booking, by=person)
    mails = send_mail_on_commit.outbox
    assert [m.subject.split(":")[0] for m in mails] == ["Booking confirmed", "Changed", "Booking cancelled"]
    assert all(m.cc == [manager.email] for m in mails)
    uncopied = SessionFactory(course=CourseFactory(copy_line_manager=False))
    send_mail_on_commit(services.booking_create, session=uncopied, person=person)
    assert mails[-1].cc == []


def test_calendar_files_carry_the_itip_method_on_their_content_type(practitioner, send_mail_on_commit):
    booking = send_mail_on_commit(services.booking_create, session=SessionFactory(), person=practitioner)
    send_mail_on_commit(services.booking_cancel, booking=booking, by=practitioner)
    confirmed, cancelled = send_mail_on_commit.outbox
    for mail, method in ((confirmed, "REQUEST"), (cancelled, "CANCEL")):
        [part] = [p for p in mail.message().walk() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == method and part.get_filename().endswith(".ics")
    _, [added], _ = calendar(confirmed)
    cal, [removed], mimetype = calendar(cancelled, "cancellation.ics")
    assert mimetype == "text/calendar; method=CANCEL" and str(cal["METHOD"]) == "CANCEL"
    assert removed["UID"] == added["UID"] and str(removed["STATUS"]) == "CANCELLED"


# --- A coordinator changes or cancels a session --------------------------------------------------------------


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.TRAINING_COORDINATOR)


def _date_rows(*rows, initial=0, delete=()):
    data = {"dates-TOTAL_FORMS": str(len(rows)), "dates-INITIAL_FORMS": str(initial), "dates-MIN_NUM_FORMS": "0",
            "dates-MAX_NUM_FORMS": "10"}
    for i, (day, start, end) in enumerate(rows):
        data |= {f"dates-{i}-day": day, f"dates-{i}-start": start, f"dates-{i}-end": end}
    for i in delete:
        data[f"dates-{i}-DELETE"] = "on"
    return data


def _session_form(session, **changes):
    data = {"capacity": str(session.capacity), "venue_name": session.venue_name,
            "venue_address": session.venue_address, "access_notes": "", "online_url": "", "notes": ""}
    return data | changes


def test_moving_a_two_day_session_across_the_clock_change_updates_each_day_in_london_time(
    client, coordinator, practitioner, send_mail_on_commit
):
    """British Summer Time ends on Sunday 26 October 2031: the Saturday is UTC+1, the Monday UTC+0, and both
    start at 09:30 on the wall clock."""
    session = SessionFactory(start=dt.datetime(2031, 10, 4, 9, 30, tzinfo=LONDON), hours=7, days=2)
    booking = send_mail_on_commit(services.booking_create, session=session, person=practitioner)
    _, before, _ = calendar(send_mail_on_commit.outbox[-1])
    client.force_login(coordinator)
    response = send_mail_on_commit(
        client.post, reverse("training:session_edit", args=[session.pk]),
        _session_form(session) | _date_rows(("2031-10-25", "09:30", "16:30"), ("2031-10-27", "09:30", "16:30"),
                                            initial=2),
        follow=True,
    )
    assert "Everyone booked has been emailed about the change (dates or times)" in response.content.decode()
    mail = send_mail_on_commit.outbox[-1]
    assert mail.to == [practitioner.email] and mail.subject.startswith("Changed")
    assert "Sat 25 Oct 2031, 09:30–16:30" in mail.body and "Mon 27 Oct 2031, 09:30–16:30" in mail.body
    cal, events, _ = calendar(mail)
    assert str(cal["METHOD"]) == "REQUEST"
    assert [e["UID"] for e in events] == [e["UID"] for e in before]
    assert [e["SEQUENCE"] for e in events] == [1, 1] and [e["SEQUENCE"] for e in before] == [0, 0]
    starts = [e["DTSTART"] for e in events]
    assert [s.params["TZID"] for s in starts] == ["Europe/London", "Europe/London"]
    assert [s.dt.astimezone(dt.UTC).hour for s in starts] == [8, 9]  # 09:30 BST, then 09:30 GMT
    assert [(s.dt.hour, s.dt.minute) for s in starts] == [(9, 30), (9, 30)]
    assert [e["DTEND"].dt.astimezone(dt.UTC).hour for e in events] == [15, 16]
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_a_session_that_loses_a_day_removes_that_day_from_calendars(client, coordinator, practitioner,
                                                                    send_mail_on_commit):
    session = SessionFactory(start=dt.datetime(2031, 3, 3, 9, 30, tzinfo=LONDON), hours=7, days=2)
    send_mail_on_commit(services.booking_create, session=session, person=practitioner)
    _, [day1, day2], _ = calendar(send_mail_on_commit.outbox[-1])
    client.force_login(coordinator)
    send_mail_on_commit(
        client.post, reverse("training:session_edit", args=[session.pk]),
        _session_form(session) | _date_rows(("2031-03-03", "09:30", "16:30"), ("2031-03-04", "09:30", "16:30"),
                                            initial=2, delete=[1]),
    )
    session.refresh_from_db()
    assert session.dates.count() == 1 and session.ics_sequence == 1
    mail = send_mail_on_commit.outbox[-1]
    _, [kept], _ = calendar(mail)
    assert kept["UID"] == day1["UID"] and kept["SEQUENCE"] == 1
    cal, [gone], mimetype = calendar(mail, "cancelled-days.ics")
    assert str(cal["METHOD"]) == "CANCEL" and mimetype == "text/calendar; method=CANCEL"
    assert gone["UID"] == day2["UID"] and gone["SEQUENCE"] == 1 and str(gone["STATUS"]) == "CANCELLED"
    assert gone["DTSTART"].dt == dt.datetime(2031, 3, 4, 9, 30, tzinfo=LONDON)
    assert "removes the 1 day it no longer has" in mail.body


def test_more_places_promote_the_waiting_who_get_one_email_with_the_new_details(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    services.booking_create(session=session, person=make_user())
    person = make_user()
    services.booking_create(session=session, person=person)
    start = session.starts_at + dt.timedelta(days=2)
    send_mail_on_commit(services.session_update, session=session, by=make_user(), capacity=2,
                        dates=[services.DateSpan(starts_at=start, ends_at=start + dt.timedelta(hours=3))])
    [mail] = to(send_mail_on_commit.outbox, person)
    assert mail.subject.startswith("You have a place")
    _, [event], _ = calendar(mail)
    assert event["DTSTART"].dt == timezone_london(start) and event["SEQUENCE"] == 1


def timezone_london(value):
    return value.astimezone(LONDON)


def test_cancelling_a_session_sends_each_attendee_a_cancellation_of_their_entries(
    client, coordinator, make_user, send_mail_on_commit
):
    session = SessionFactory(capacity=2, days=2)
    people = [make_user() for _ in range(3)]
    for person in people:
        send_mail_on_commit(services.booking_create, session=session, person=person)
    _, invited, _ = calendar(to(send_mail_on_commit.outbox, people[0])[0])
    client.force_login(coordinator)
    response = send_mail_on_commit(client.post, reverse("training:session_cancel", args=[session.pk]),
                                   {"reason": "The venue flooded."}, follow=True)
    assert "Session cancelled. Everyone booked has been emailed." in response.content.decode()
    for person in people[:2]:
        mail = to(send_mail_on_commit.outbox, person)[-1]
        assert mail.subject == f"Cancelled: {session.course.title}" and "The venue flooded." in mail.body
        cal, events, _ = calendar(mail, "cancellation.ics")
        assert str(cal["METHOD"]) == "CANCEL"
        assert [e["UID"] for e in events] == [e["UID"] for e in invited]
        assert [e["SEQUENCE"] for e in events] == [1, 1]
    waiting_mail = to(send_mail_on_commit.outbox, people[2])[-1]
    assert waiting_mail.subject.startswith("Cancelled") and waiting_mail.attachments == []
    assert set(Booking.objects.filter(session=session).values_list("status", flat=True)) == {S.CANCELLED}


def test_a_transfer_tells_both_people(manager, team_member, send_mail_on_commit):
    holder, colleague = team_member(first_name="Hana"), team_member(first_name="Cal")
    booking = BookingFactory(session=SessionFactory(capacity=1), person=holder, confirmed_at=dt.datetime.now(dt.UTC))
    send_mail_on_commit(services.booking_transfer, booking=booking, to_person=colleague, by=manager)
    [gone] = to(send_mail_on_commit.outbox, holder)
    [got] = to(send_mail_on_commit.outbox, colleague)
    assert gone.subject.startswith("Booking cancelled") and f"Your place was passed to {colleague}" in gone.body
    assert calendar(gone, "cancellation.ics")[0]["METHOD"] == "CANCEL"
    assert got.subject.startswith("A place has been passed to you")
    assert "Your line manager has passed a place on this course to you." in got.body
    assert calendar(got)[0]["METHOD"] == "REQUEST"


def test_saving_a_session_unchanged_emails_nobody_and_keeps_the_sequence(client, coordinator, practitioner,
                                                                       send_mail_on_commit):
    session = SessionFactory(start=dt.datetime(2031, 6, 2, 9, 30, tzinfo=LONDON), hours=3, days=2,
                             venue_address="1 Civic Way\nCity")
    send_mail_on_commit(services.booking_create, session=session, person=practitioner)
    sent = len(send_mail_on_commit.outbox)
    client.force_login(coordinator)
    response = send_mail_on_commit(
        client.post, reverse("training:session_edit", args=[session.pk]),
        _session_form(session, venue_address="1 Civic Way\r\nCity")
        | _date_rows(("2031-06-02", "09:30", "12:30"), ("2031-06-03", "09:30", "12:30"), initial=2),
        follow=True,
    )
    assert "Session saved." in response.content.decode() and "emailed" not in response.content.decode()
    assert len(send_mail_on_commit.outbox) == sent
    session.refresh_from_db()
    assert session.ics_sequence == 0


def test_a_place_given_after_the_cancellation_deadline_does_not_ask_to_cancel_by_a_date_gone(
    make_user, manager, team_member, send_mail_on_commit
):
    """Promoted, approved or passed a place inside the notice period: the email says cancelling now is late."""
    run, outbox = send_mail_on_commit, send_mail_on_commit.outbox
    soon = SessionFactory(capacity=1, course=CourseFactory(cancellation_notice_days=7),
                          start=dt.datetime.now(LONDON).replace(microsecond=0) + dt.timedelta(days=3))
    holder, waiting, colleague = team_member(), make_user(), team_member()
    held = run(services.booking_create, session=soon, person=holder)
    run(services.booking_create, session=soon, person=waiting)
    passed_on = run(services.booking_transfer, booking=held, to_person=colleague, by=manager)
    run(services.booking_cancel, booking=passed_on, by=colleague)  # late; the waiting person is promoted
    [confirmed] = [m for m in to(outbox, holder) if m.subject.startswith("Booking confirmed")]
    [given] = to(outbox, colleague)[:1]
    [promoted] = [m for m in to(outbox, waiting) if m.subject.startswith("You have a place")]
    deadline = f"{(soon.starts_at - dt.timedelta(days=7)).astimezone(LONDON):%a %-d %b %Y, %H:%M}"
    for mail in (confirmed, given, promoted):
        [(html, _)] = mail.alternatives
        for part in (mail.body, html):
            assert "please cancel by" not in part
            assert f"The deadline for cancelling without it counting as late ({deadline}) has passed." in part
            assert "it will be recorded as a late cancellation" in part

    later = SessionFactory()  # a month ahead: the deadline is still to come
    run(services.booking_create, session=later, person=make_user(email="early@example.org"))
    mail = outbox[-1]
    deadline = f"{later.cancellation_deadline.astimezone(LONDON):%a %-d %b %Y, %H:%M}"
    assert f"If you cannot go, please cancel by {deadline} so someone else can have the place" in mail.body
    assert "late cancellation" not in mail.body


def test_the_text_part_keeps_the_address_on_its_lines(practitioner, send_mail_on_commit):
    session = SessionFactory(venue_name="Civic Centre", venue_address="Market Square\nCity\nAB1 2CD")
    send_mail_on_commit(services.booking_create, session=session, person=practitioner)
    [mail] = send_mail_on_commit.outbox
    assert "Venue: Civic Centre\nMarket Square\nCity\nAB1 2CD\n" in mail.body
    assert "CentreMarket" not in mail.body and "SquareCity" not in mail.body
    [(html, _)] = mail.alternatives
    assert "Market Square<br>City<br>AB1 2CD" in html


def test_a_decline_needs_a_reason_and_its_email_names_who_why_and_what_next(client, make_user,
                                                                              send_mail_on_commit):
    """Issue 14: a manager could decline with no reason; the email gave no reason, no name, no next step."""
    boss = make_user(Role.LINE_MANAGER, first_name="Bea", last_name="Boss")
    person = make_user(profile={"line_manager": boss})
    course = CourseFactory(title="Solihull Approach", needs_manager_approval=True)
    booking = services.booking_create(person=person, session=SessionFactory(course=course))
    client.force_login(boss)
    url = reverse("training:approval_decide", args=[booking.pk])
    refused = client.post(url, {"decision": "decline", "reason": "  "})
    assert refused.status_code == 200
    assert "Say why you are declining" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.PENDING_APPROVAL
    with pytest.raises(NotAllowed):
        services.booking_decline(booking=booking, by=boss, reason="")

    send_mail_on_commit(lambda: client.post(url, {"decision": "decline", "reason": "Team cover that week"}))
    booking.refresh_from_db()
    assert booking.status == S.DECLINED
    (email,) = [m for m in send_mail_on_commit.outbox if m.subject.startswith("Booking declined")]
    assert "Bea Boss has declined your booking." in email.body
    assert "Their reason: Team cover that week" in email.body
    site = django_settings.SITE_URL.rstrip("/")
    assert f"choose another session of the course: {site}{course.get_absolute_url()}" in email.body


def test_a_confirmed_place_adds_to_a_calendar_from_the_page_and_my_bookings(client, practitioner, settings):
    """Issue 14: the .ics existed only as an email attachment, with a no-reply ORGANIZER."""
    settings.TRAINING_MAILBOX = "Leeds Training Team <training@leeds.example>"
    session = SessionFactory(course=CourseFactory(title="Prevent awareness", code="PREV-1"))
    client.force_login(practitioner)
    client.post(reverse("training:booking_create", args=[session.pk]))
    booking = Booking.objects.get()
    url = reverse("training:booking_calendar", args=[booking.pk])
    assert url in client.get(session.get_absolute_url()).content.decode()
    assert url in client.get(reverse("training:my_bookings")).content.decode()
    response = client.get(url)
    assert response["Content-Type"].startswith("text/calendar")
    assert 'filename="PREV-1-' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["method"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Prevent awareness"
    assert str(event["organizer"]) == "mailto:training@leeds.example"
    assert event["organizer"].params["cn"] == "Leeds Training Team"
    assert str(event["uid"]) == f"training-session-{session.pk}-day1@workforce-portal"  # the emails' entry

    client.post(reverse("training:booking_cancel", args=[booking.pk]))
    assert client.get(url).status_code == 404  # a cancelled place has no calendar entry to add


def test_a_coordinator_and_a_line_manager_book_a_named_person(client, make_user, send_mail_on_commit):
    """Issue 14: a coordinator books anyone; a manager books their own team, which counts as approved."""
    coordinator = make_user(Role.TRAINING_COORDINATOR, first_name="Cora", last_name="Ordinator")
    boss = make_user(Role.LINE_MANAGER, first_name="Bea", last_name="Boss")
    report = make_user(first_name="Rafi", profile={"line_manager": boss})
    stranger = make_user(first_name="Sam", email="sam.stranger@example.org",
                         profile={"line_manager": make_user(Role.LINE_MANAGER)})
    session = SessionFactory(course=CourseFactory(title="Prevent awareness", needs_manager_approval=True), capacity=5)
    url = reverse("training:booking_for_someone", args=[session.pk])

    client.force_login(coordinator)
    unknown = client.post(url, {"email": "nobody@example.org"})
    assert "No one with a portal account has the email address nobody@example.org." in unknown.content.decode()
    assert not Booking.objects.exists()
    send_mail_on_commit(lambda: client.post(url, {"email": "SAM.stranger@example.org"}))
    booked = Booking.objects.get(person=stranger)
    assert booked.booked_by == coordinator and booked.status == S.PENDING_APPROVAL  # still theirs to approve

    client.force_login(boss)
    assert url in client.get(session.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert "Rafi" in page and "Sam" not in page  # their team only
    send_mail_on_commit(lambda: client.post(url, {"person": report.pk}))
    place = Booking.objects.get(person=report)
    assert place.status == S.CONFIRMED and place.approved_by == boss  # booked by the manager: approved
    (email,) = [m for m in send_mail_on_commit.outbox if m.to == [report.email]]
    assert "Bea Boss has booked a place for you (as your line manager, they have approved it)." in email.body
    outsider = client.post(url, {"person": stranger.pk})
    assert "Select a valid choice" in outsider.content.decode()

    client.force_login(make_user())  # neither
    assert client.get(url).status_code == 404
