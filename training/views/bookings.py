"""Booking a place, cancelling it, and line managers approving, declining and passing places on."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..errors import AlreadyBooked, OverlapNeedsConfirmation, TrainingError
from ..forms import (
    BookForSomeoneForm,
    BookingCreateForm,
    BookingDeclineForm,
    BookingTransferForm,
)
from ..models import Booking, Session
from ..permissions import get_booking_for_manager, get_own_booking_for
from ._common import CANCELLABLE, _download, _error_message


@login_required
@require_POST
def booking_create(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk, course__is_active=True)
    form = BookingCreateForm(request.POST)
    form.is_valid()
    try:
        booking = services.booking_create(session=session, person=request.user,
                                          confirm_overlap=form.cleaned_data.get("confirm_overlap", False))
    except OverlapNeedsConfirmation as error:
        return render(request, "training/booking_overlap.html", {"session": session, "clashes": error.sessions})
    except TrainingError as error:
        _error_message(request, error)
        return redirect(session.get_absolute_url())
    messages.success(request, {
        Booking.Status.CONFIRMED: "Your place is booked. We have emailed you the details and a calendar invitation.",
        Booking.Status.WAITLISTED: "This session is full, so you are on the waiting list. We will email you if a "
                                   "place comes up.",
        Booking.Status.PENDING_APPROVAL: "Your request has gone to your line manager for approval. We will email "
                                         "you when they decide.",
    }[booking.status])
    return redirect("training:my_bookings")


@login_required
def booking_for_someone(request, pk: int):
    """A coordinator books anyone, a line manager someone in their team, onto this session (same rules, same
    lock); the person is emailed who booked them."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk, course__is_active=True)
    coordinator = permissions.is_coordinator(request.user)
    if not coordinator and not permissions.can_manage_team_training(request.user):
        raise Http404
    from workforce.selectors import team_of

    form = BookForSomeoneForm(request.POST or None, team=None if coordinator else team_of(manager=request.user))
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            booking = services.booking_create_for(session=session, person=person, by=request.user,
                                                  confirm_overlap=True)
        except AlreadyBooked:
            form.add_error(None, f"{person} already has a booking for this session.")
        except TrainingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{person} is {booking.get_status_display().lower()} and has been emailed.")
            return redirect("training:session_manage" if coordinator else "training:session_detail", pk=session.pk)
    return render(request, "training/book_for_someone.html", {"session": session, "form": form})


@login_required
def my_bookings(request):
    return render(request, "training/my_bookings.html", selectors.bookings_of(person=request.user))


@login_required
def booking_calendar(request, pk: int):
    """"Add to calendar": the person's own confirmed place as an .ics file (the same entries its emails update)."""
    booking = get_own_booking_for(request.user, pk)
    if booking.status != Booking.Status.CONFIRMED:
        raise Http404("Only a confirmed place goes in a calendar.")
    from ..invitations import ICS_MIMETYPE, session_ics

    content = session_ics(booking.session, attendee=request.user, publish=True).encode()
    return _download(content, content_type=f"{ICS_MIMETYPE}; charset=utf-8",
                     filename=f"{booking.session.course.code or 'training'}-{booking.session.starts_at:%Y-%m-%d}.ics")


@login_required
def booking_cancel(request, pk: int):
    booking = get_own_booking_for(request.user, pk)
    if booking.status not in CANCELLABLE:
        messages.error(request, "This booking can no longer be cancelled.")
        return redirect("training:my_bookings")
    session = booking.session
    if request.method == "POST":
        was = booking.status
        try:
            services.booking_cancel(booking=booking, by=request.user)
        except TrainingError as error:
            _error_message(request, error)
            return redirect("training:my_bookings")
        if booking.status == Booking.Status.LATE_CANCELLED:
            messages.success(request, "Your booking is cancelled. It is recorded as a late cancellation.")
        elif was == Booking.Status.WAITLISTED:
            messages.success(request, "You have left the waiting list.")
        else:
            messages.success(request, "Your booking is cancelled.")
        return redirect("training:my_bookings")
    deadline = session.cancellation_deadline
    return render(request, "training/booking_cancel.html", {
        "booking": booking, "session": session,
        "late": booking.status == Booking.Status.CONFIRMED and deadline and timezone.now() > deadline,
        "deadline": deadline,
    })




@login_required
def approvals(request):
    if not permissions.can_manage_team_training(request.user):
        raise Http404
    return render(request, "training/approvals.html", {
        "pending": selectors.bookings_awaiting_approval_by(manager=request.user),
        "team_upcoming": selectors.team_bookings_upcoming(manager=request.user),
    })


@login_required
def approval_decide(request, pk: int):
    booking = get_booking_for_manager(request.user, pk)
    form = BookingDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "approve":
                services.booking_approve(booking=booking, by=request.user)
                outcome = ("approved: the place is confirmed" if booking.status == Booking.Status.CONFIRMED
                           else "approved: the session is full, so they are on the waiting list")
                messages.success(request, f"Booking for {booking.person} {outcome}.")
            elif request.POST.get("decision") == "decline":
                services.booking_decline(booking=booking, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"Booking for {booking.person} declined.")
            else:
                messages.error(request, "Choose approve or decline.")
                return redirect(request.path)
        except TrainingError as error:
            if error.field not in form.fields:
                _error_message(request, error)
                return redirect("training:approvals")
            form.add_error(error.field, error.message)  # said next to the field; the page is shown again
        else:
            return redirect("training:approvals")
    return render(request, "training/approval_decide.html", {
        "booking": booking, "session": selectors.session_for_page(pk=booking.session_id), "form": form,
    })


def _place_no_longer_held(request, booking: Booking):
    """The place is not this person's to pass on any more: passed on already (a second click, the back button) or
    cancelled meanwhile. Say so on the approvals page, as a second decision on an approval does."""
    passed_to = booking.transferred_to.select_related("person").first()
    if passed_to:
        messages.info(request, f"This place has already been passed on to {passed_to.person}. Nothing more was "
                               "changed.")
    else:
        messages.error(request, f"{booking.person} no longer holds a confirmed place on this session "
                                f"({booking.get_status_display().lower()}), so it cannot be passed on.")
    return redirect("training:approvals")


@login_required
def booking_transfer(request, pk: int):
    booking = get_booking_for_manager(request.user, pk)
    if booking.status != Booking.Status.CONFIRMED:
        return _place_no_longer_held(request, booking)
    team = selectors.team_of(manager=request.user).exclude(pk=booking.person_id)
    form = BookingTransferForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.booking_transfer(booking=booking, to_person=form.cleaned_data["to_person"],
                                            by=request.user)
        except TrainingError as error:
            booking.refresh_from_db(fields=["status"])
            if booking.status != Booking.Status.CONFIRMED:  # passed on by a click that got there first
                return _place_no_longer_held(request, booking)
            _error_message(request, error)
        else:
            messages.success(request, f"The place has passed from {booking.person} to {new.person}.")
            return redirect("training:approvals")
    return render(request, "training/booking_transfer.html", {"booking": booking, "form": form})
