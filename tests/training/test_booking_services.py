"""Booking use cases against the database: what a person, a manager and a coordinator would notice."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.training.factories import BookingFactory, CompletionFactory, CourseFactory, SessionFactory
from training import selectors, services
from training.errors import (
    AlreadyBooked,
    BookingNotOpen,
    InvalidState,
    NoLineManager,
    NotAllowed,
    OverlapNeedsConfirmation,
    PrerequisitesMissing,
)
from training.models import Booking, Session

pytestmark = pytest.mark.django_db
S = Booking.Status


def test_a_free_place_is_confirmed_with_an_invitation_and_history(practitioner, send_mail_on_commit):
    session = SessionFactory(capacity=2)
    booking = send_mail_on_commit(services.booking_create, session=session, person=practitioner)
    assert booking.status == S.CONFIRMED
    assert [(e.from_status, e.to_status, e.by) for e in booking.events.all()] == [("", S.CONFIRMED, practitioner)]
    [email] = send_mail_on_commit.outbox
    assert email.to == [practitioner.email]
    assert email.subject == f"Booking confirmed: {session.course.title}"
    assert email.alternatives[0][1] == "text/html"
    [(filename, ics, mimetype)] = email.attachments
    assert filename == "invitation.ics" and mimetype.startswith("text/calendar")


def test_a_full_session_puts_people_on_the_waiting_list_in_order(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    first, second, third = (make_user() for _ in range(3))
    assert services.booking_create(session=session, person=first).status == S.CONFIRMED
    b2 = services.booking_create(session=session, person=second)
    b3 = send_mail_on_commit(services.booking_create, session=session, person=third)
    assert (b2.status, b3.status) == (S.WAITLISTED, S.WAITLISTED)
    assert selectors.waitlist_position(b2) == 1 and selectors.waitlist_position(b3) == 2
    assert "number 2" in send_mail_on_commit.outbox[-1].body


def test_the_same_person_cannot_book_a_session_twice(practitioner):
    session = SessionFactory(capacity=1)
    services.booking_create(session=session, person=practitioner)
    with pytest.raises(AlreadyBooked):
        services.booking_create(session=session, person=practitioner)
    assert Booking.objects.filter(session=session).count() == 1


def test_the_database_refuses_a_second_live_booking(practitioner):
    from django.db import IntegrityError, transaction

    session = SessionFactory()
    BookingFactory(session=session, person=practitioner, status=S.CANCELLED)
    BookingFactory(session=session, person=practitioner, status=S.CONFIRMED)  # a cancelled one does not count
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(session=session, person=practitioner, status=S.WAITLISTED)


def test_cancelling_promotes_the_first_waiting_in_the_same_transaction(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    holder, first_waiting, second_waiting = (make_user() for _ in range(3))
    held = services.booking_create(session=session, person=holder)
    w1 = services.booking_create(session=session, person=first_waiting)
    w2 = services.booking_create(session=session, person=second_waiting)

    send_mail_on_commit(services.booking_cancel, booking=held, by=holder)

    held.refresh_from_db(), w1.refresh_from_db(), w2.refresh_from_db()
    assert (held.status, w1.status, w2.status) == (S.CANCELLED, S.CONFIRMED, S.WAITLISTED)
    assert selectors.waitlist_position(w2) == 1
    subjects = {e.to[0]: e.subject for e in send_mail_on_commit.outbox}
    assert subjects[first_waiting.email] == f"You have a place: {session.course.title}"
    assert subjects[holder.email].startswith("Booking cancelled")
    assert w1.events.last().note == "Promoted from the waiting list."


def test_cancelling_after_the_deadline_is_a_late_cancellation(practitioner, make_user):
    start = timezone.localtime() + dt.timedelta(days=10)
    session = SessionFactory(capacity=1, start=start, course=CourseFactory(cancellation_notice_days=7))
    booking = services.booking_create(session=session, person=practitioner)
    waiting = services.booking_create(session=session, person=make_user())
    with time_machine.travel(start - dt.timedelta(days=7, minutes=-1)):  # one minute after the deadline
        services.booking_cancel(booking=booking, by=practitioner)
    booking.refresh_from_db(), waiting.refresh_from_db()
    assert booking.status == S.LATE_CANCELLED
    assert "Late" in booking.events.last().note
    assert waiting.status == S.CONFIRMED  # the place still goes to the waiting list


def test_cancelling_just_before_the_deadline_is_not_late(practitioner):
    start = timezone.localtime() + dt.timedelta(days=10)
    session = SessionFactory(start=start, course=CourseFactory(cancellation_notice_days=7))
    booking = services.booking_create(session=session, person=practitioner)
    with time_machine.travel(start - dt.timedelta(days=7, minutes=1)):
        services.booking_cancel(booking=booking, by=practitioner)
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED


def test_leaving_the_waiting_list_moves_others_up(make_user):
    session = SessionFactory(capacity=1)
    people = [make_user() for _ in range(3)]
    bookings = [services.booking_create(session=session, person=p) for p in people]
    services.waitlist_leave(booking=bookings[1], by=people[1])
    bookings[1].refresh_from_db()
    assert bookings[1].status == S.CANCELLED
    assert selectors.waitlist_position(bookings[2]) == 1
    with pytest.raises(InvalidState):
        services.waitlist_leave(booking=bookings[0], by=people[0])  # confirmed, not waiting


def test_a_course_needing_approval_waits_for_the_line_manager(team_member, manager, send_mail_on_commit):
    person = team_member()
    session = SessionFactory(course=CourseFactory(needs_manager_approval=True), capacity=1)
    booking = send_mail_on_commit(services.booking_create, session=session, person=person)
    assert booking.status == S.PENDING_APPROVAL
    to_manager = next(e for e in send_mail_on_commit.outbox if e.to == [manager.email])
    assert f"/training/approvals/{booking.pk}/" in to_manager.body

    send_mail_on_commit(services.booking_approve, booking=booking, by=manager)
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED and booking.approved_by == manager
    assert send_mail_on_commit.outbox[-1].subject.startswith("Booking approved")


def test_approval_of_a_full_session_waitlists(team_member, manager, make_user):
    session = SessionFactory(course=CourseFactory(needs_manager_approval=True), capacity=1)
    pending = services.booking_create(session=session, person=team_member())
    BookingFactory(session=session, person=make_user(), status=S.CONFIRMED)
    services.booking_approve(booking=pending, by=manager)
    pending.refresh_from_db()
    assert pending.status == S.WAITLISTED


def test_a_request_approved_late_joins_the_waiting_list_at_the_back(team_member, manager, client,
                                                                     send_mail_on_commit):
    """Asked first, approved last: the waiting list is the order people joined it (docs/training.md)."""
    session = SessionFactory(course=CourseFactory(needs_manager_approval=True), capacity=1)
    early, holder, later = (team_member(first_name=name) for name in ("Early", "Holder", "Later"))
    requests = [services.booking_create(session=session, person=person) for person in (early, holder, later)]
    services.booking_approve(booking=requests[1], by=manager)  # takes the one place
    services.booking_approve(booking=requests[2], by=manager)  # full: waiting, number 1
    send_mail_on_commit(services.booking_approve, booking=requests[0], by=manager)

    email = send_mail_on_commit.outbox[-1]
    assert email.to == [early.email] and email.subject.startswith("Approved, on the waiting list")
    assert "at number 2." in email.body
    assert [selectors.waitlist_position(b) for b in Booking.objects.filter(pk__in=[requests[2].pk, requests[0].pk])
            .order_by("pk")] == [2, 1]  # the early request (lower id) is second
    client.force_login(early)
    assert "You are <strong>number 2</strong> on the waiting list." in client.get(
        session.get_absolute_url()).content.decode()
    assert "<td>Number 2</td>" in client.get(reverse("training:my_bookings")).content.decode()
    client.force_login(later)
    assert "<td>Number 1</td>" in client.get(reverse("training:my_bookings")).content.decode()


def test_only_the_line_manager_approves_and_a_decline_is_final(team_member, manager, make_user, send_mail_on_commit):
    booking = services.booking_create(
        session=SessionFactory(course=CourseFactory(needs_manager_approval=True)), person=team_member()
    )
    with pytest.raises(NotAllowed):
        services.booking_approve(booking=booking, by=make_user())
    send_mail_on_commit(services.booking_decline, booking=booking, by=manager, reason="Team cover that week")
    booking.refresh_from_db()
    assert booking.status == S.DECLINED
    assert "Team cover that week" in send_mail_on_commit.outbox[-1].body
    with pytest.raises(InvalidState):
        services.booking_approve(booking=booking, by=manager)


def test_no_line_manager_means_no_approval_booking(practitioner):
    with pytest.raises(NoLineManager):
        services.booking_create(session=SessionFactory(course=CourseFactory(needs_manager_approval=True)),
                                person=practitioner)


def test_a_manager_passes_a_confirmed_place_to_a_colleague(team_member, manager, make_user, send_mail_on_commit):
    holder, colleague = team_member(), team_member()
    session = SessionFactory(capacity=1)
    booking = services.booking_create(session=session, person=holder)
    waiting = services.booking_create(session=session, person=make_user())

    new = send_mail_on_commit(services.booking_transfer, booking=booking, to_person=colleague, by=manager)

    booking.refresh_from_db(), waiting.refresh_from_db()
    assert booking.status == S.CANCELLED and new.status == S.CONFIRMED and new.person == colleague
    assert new.transferred_from == booking
    assert waiting.status == S.WAITLISTED  # the place moved, it was not freed
    assert Booking.objects.filter(session=session, status=S.CONFIRMED).count() == 1
    assert {e.to[0] for e in send_mail_on_commit.outbox} == {holder.email, colleague.email}
    with pytest.raises(NotAllowed):  # not in the manager's team
        services.booking_transfer(booking=new, to_person=make_user(), by=manager)


def test_prerequisites_are_enforced(practitioner):
    elearning = CourseFactory(title="Mental Capacity Act e-learning")
    classroom = CourseFactory(title="Mental Capacity Act in practice")
    classroom.prerequisites.add(elearning)
    session = SessionFactory(course=classroom)
    with pytest.raises(PrerequisitesMissing) as raised:
        services.booking_create(session=session, person=practitioner)
    assert raised.value.courses == [elearning]
    assert not Booking.objects.exists()
    CompletionFactory(person=practitioner, course=elearning)
    assert services.booking_create(session=session, person=practitioner).status == S.CONFIRMED


def test_an_overlapping_booking_needs_confirming(practitioner):
    start = timezone.localtime() + dt.timedelta(days=20)
    services.booking_create(session=SessionFactory(start=start, hours=3), person=practitioner)
    clash = SessionFactory(start=start + dt.timedelta(hours=2))
    with pytest.raises(OverlapNeedsConfirmation):
        services.booking_create(session=clash, person=practitioner)
    booking = services.booking_create(session=clash, person=practitioner, confirm_overlap=True)
    assert booking.status == S.CONFIRMED
    assert "Overlap" in booking.events.first().note


def test_booking_outside_the_window_is_refused(practitioner):
    session = SessionFactory(booking_closes_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(BookingNotOpen):
        services.booking_create(session=session, person=practitioner)
    past = SessionFactory(start=timezone.localtime() - dt.timedelta(days=1))
    with pytest.raises(BookingNotOpen):
        services.booking_create(session=past, person=practitioner)


@pytest.mark.parametrize("change, says", [
    ({"status": Session.Status.CANCELLED}, "This session has been cancelled, so it cannot be booked."),
    ({"booking_opens_at": timezone.now() + dt.timedelta(days=2)}, "Booking for this session opens on"),
    ({"booking_closes_at": timezone.now() - dt.timedelta(minutes=1)}, "Booking for this session closed on"),
])
def test_a_session_changed_while_its_page_was_open_is_not_booked_and_says_why(practitioner, change, says):
    """The person loaded the page (the session as it was); a coordinator changed it before they pressed Book.
    The booking is checked against the session as it is once locked (on PostgreSQL: inside the one statement,
    which then leaves the decision to the locked path), so nothing is booked and the reason is today's."""
    session = SessionFactory(capacity=5)
    Session.objects.filter(pk=session.pk).update(**change)
    with pytest.raises(BookingNotOpen) as raised:
        services.booking_create(session=session, person=practitioner)
    assert raised.value.message.startswith(says)
    assert not Booking.objects.filter(session=session).exists()


def test_line_manager_is_copied_where_the_course_says_so(team_member, manager, send_mail_on_commit):
    session = SessionFactory(course=CourseFactory(copy_line_manager=True))
    send_mail_on_commit(services.booking_create, session=session, person=team_member())
    assert send_mail_on_commit.outbox[0].cc == [manager.email]


def test_changing_a_session_tells_everyone_and_more_places_promote(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    coordinator = make_user()
    held = services.booking_create(session=session, person=make_user())
    waiting = services.booking_create(session=session, person=make_user())
    new_start = session.starts_at + dt.timedelta(days=1)
    new_dates = [services.DateSpan(starts_at=new_start, ends_at=new_start + dt.timedelta(hours=2))]

    with pytest.raises(InvalidState):
        services.session_update(session=session, by=coordinator, dates=new_dates, capacity=0)
    session, changes, promoted = send_mail_on_commit(
        services.session_update, session=session, by=coordinator, dates=new_dates, capacity=2,
        venue_name="Library, Room 1",
    )
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED and promoted == [waiting]
    assert changes == ["dates or times", "venue"]
    assert session.ics_sequence == 1 and session.starts_at == new_start
    changed = [e for e in send_mail_on_commit.outbox if e.subject.startswith("Changed")]
    assert {e.to[0] for e in changed} == {held.person.email}  # the promoted person's "you have a place" says it
    assert [e.to[0] for e in send_mail_on_commit.outbox if e.subject.startswith("You have a place")] == [
        waiting.person.email]
    assert "SEQUENCE:1" in changed[0].attachments[0][1]


def test_cancelling_a_session_cancels_every_booking(make_user, send_mail_on_commit):
    session = SessionFactory(capacity=1)
    held = services.booking_create(session=session, person=make_user())
    waiting = services.booking_create(session=session, person=make_user())
    send_mail_on_commit(services.session_cancel, session=session, by=make_user(), reason="Trainer unwell")
    held.refresh_from_db(), waiting.refresh_from_db(), session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert (held.status, waiting.status) == (S.CANCELLED, S.CANCELLED)
    cancel_mail = next(e for e in send_mail_on_commit.outbox if e.to == [held.person.email])
    assert "Trainer unwell" in cancel_mail.body
    assert "METHOD:CANCEL" in cancel_mail.attachments[0][1]
    waiting_mail = next(e for e in send_mail_on_commit.outbox if e.to == [waiting.person.email])
    assert waiting_mail.attachments == []  # never had a place in their calendar


def test_booking_again_after_cancelling_is_allowed_and_keeps_the_history(practitioner, client):
    from django.urls import reverse

    session = SessionFactory(capacity=2)
    first = services.booking_create(session=session, person=practitioner)
    services.booking_cancel(booking=first, by=practitioner)
    again = services.booking_create(session=session, person=practitioner)
    assert again.pk != first.pk and again.status == S.CONFIRMED
    assert list(Booking.objects.filter(session=session).order_by("pk").values_list("status", flat=True)) == [
        S.CANCELLED, S.CONFIRMED]
    client.force_login(practitioner)
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Cancel this booking" in page and "Book a place" not in page
    response = client.post(reverse("training:booking_create", args=[session.pk]), follow=True)
    assert "You already have a booking for this session." in response.content.decode()


def test_a_manager_passes_a_place_through_the_page(client, team_member, manager, make_user):
    from django.urls import reverse

    holder, colleague = team_member(first_name="Hana"), team_member(first_name="Cal")
    session = SessionFactory(capacity=1)
    booking = services.booking_create(session=session, person=holder)
    waiting = services.booking_create(session=session, person=make_user())
    outsider = make_user()
    client.force_login(manager)
    url = reverse("training:booking_transfer", args=[booking.pk])
    page = client.get(url).content.decode()
    assert colleague.email in page and outsider.email not in page and f"({holder.email})" not in page
    response = client.post(url, {"to_person": outsider.pk})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"to_person": colleague.pk}, follow=True)
    assert escape(f"The place has passed from {holder} to {colleague}.") in response.content.decode()
    assert list(Booking.objects.filter(session=session, status=S.CONFIRMED).values_list("person", flat=True)) == [
        colleague.pk]
    waiting.refresh_from_db()
    assert waiting.status == S.WAITLISTED
    client.force_login(holder)  # not their team: a 404
    assert client.get(reverse("training:booking_transfer", args=[booking.pk])).status_code == 404


def test_a_place_is_not_passed_to_someone_booked_elsewhere_at_the_same_time(client, team_member, manager):
    holder, colleague = team_member(first_name="Hana"), team_member(first_name="Cal")
    start = timezone.localtime() + dt.timedelta(days=10)
    session = SessionFactory(start=start, course__title="Signs of Safety")
    elsewhere = SessionFactory(start=start + dt.timedelta(hours=1), course__title="Early Help Assessment")
    booking = services.booking_create(session=session, person=holder)
    services.booking_create(session=elsewhere, person=colleague)
    client.force_login(manager)
    response = client.post(reverse("training:booking_transfer", args=[booking.pk]), {"to_person": colleague.pk},
                           follow=True)
    assert escape(f"{colleague} already has a place at the same time (Early Help Assessment, "
                  f"{timezone.localtime(elsewhere.starts_at):%a %-d %b %Y, %H:%M}). Choose someone else, or cancel "
                  "that booking first.") in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED and not Booking.objects.filter(session=session, person=colleague).exists()


def test_passing_a_place_to_someone_without_the_prerequisite_names_them(client, team_member, manager):
    holder, colleague = team_member(first_name="Hana"), team_member(first_name="Cal")
    first = CourseFactory(title="MI: introduction")
    session = SessionFactory(course__title="MI: refresher")
    session.course.prerequisites.add(first)
    CompletionFactory(person=holder, course=first)
    booking = services.booking_create(session=session, person=holder)
    client.force_login(manager)
    response = client.post(reverse("training:booking_transfer", args=[booking.pk]), {"to_person": colleague.pk},
                           follow=True)
    assert (f'{escape(str(colleague))} needs to complete <a href="{first.get_absolute_url()}">MI: introduction</a> '
            "before they can have a place on this course.") in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == S.CONFIRMED


def test_passing_a_place_on_again_says_it_has_gone_not_a_404(client, team_member, manager, make_user):
    """The back button or a double click sends the transfer twice: the second says what happened."""
    holder, colleague = team_member(first_name="Hana"), team_member(first_name="Cal")
    session = SessionFactory(capacity=1)
    booking = services.booking_create(session=session, person=holder)
    client.force_login(manager)
    url = reverse("training:booking_transfer", args=[booking.pk])
    client.post(url, {"to_person": colleague.pk})
    for again in (lambda: client.post(url, {"to_person": colleague.pk}, follow=True),
                  lambda: client.get(url, follow=True)):
        response = again()
        assert response.status_code == 200
        assert response.redirect_chain == [(reverse("training:approvals"), 302)]
        assert escape(f"This place has already been passed on to {colleague}. Nothing more was changed.") in (
            response.content.decode())
    assert Booking.objects.filter(session=session).count() == 2  # the original and the one passed on
    # A place cancelled meanwhile says that instead.
    other = services.booking_create(session=SessionFactory(), person=holder)
    services.booking_cancel(booking=other, by=holder)
    response = client.get(reverse("training:booking_transfer", args=[other.pk]), follow=True)
    assert escape(f"{holder} no longer holds a confirmed place on this session (cancelled), so it cannot be passed "
                  "on.") in (
        response.content.decode())
