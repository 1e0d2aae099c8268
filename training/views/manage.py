"""Coordinators manage courses, events and sessions."""


from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import selectors, services
from ..errors import TrainingError
from ..forms import (
    CourseForm,
    EventForm,
    SessionCancelForm,
    SessionForm,
    session_date_formset,
)
from ..models import Course, Event, Session
from ._common import _edit, _error_message, coordinator_required


@coordinator_required
def manage_home(request):
    past = request.GET.get("past") == "1"
    sessions = selectors.sessions_for_coordinator(include_past=past)
    return render(request, "training/manage/home.html", {
        "sessions": sessions.order_by("-starts_at", "-pk")[:200] if past else sessions[:200], "past": past,
    })


@coordinator_required
def course_list_manage(request):
    return render(request, "training/manage/courses.html", {"courses": selectors.courses_for_coordinator()})


@coordinator_required
def course_edit(request, pk: int | None = None):
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        themes, prerequisites = fields.pop("themes"), fields.pop("prerequisites")
        course = services.course_save(course=course, by=request.user, themes=themes, prerequisites=prerequisites,
                                      **fields)
        messages.success(request, "Course saved.")
        return redirect(course.get_absolute_url())
    return render(request, "training/manage/form.html", {
        "form": form, "heading": f"Edit {course.title}" if course else "New course",
        "back": reverse("training:course_list_manage"), "submit_label": "Save course",
    })


@coordinator_required
def event_list_manage(request):
    return render(request, "training/manage/events.html", {"events": selectors.events_for_coordinator()})


@coordinator_required
def event_edit(request, pk: int | None = None):
    event = get_object_or_404(Event, pk=pk) if pk else None
    return _edit(
        request, form_class=EventForm, instance=event,
        save=lambda obj, f: services.event_save(event=obj, by=request.user, **f),
        heading=f"Edit {event}" if event else "New event", success="Event saved.",
        back=reverse("training:event_list_manage"),
    )


def _new_session_initial(request) -> dict:
    """"New session" links from a course or an event page fill it in; anything else is ignored."""
    initial = {}
    for name, model in (("course", Course), ("event", Event)):
        if request.GET.get(name, "").isdecimal():
            initial[name] = model.objects.filter(pk=request.GET[name]).first()
    return initial


def _session_created(request, *, fields: dict, trainers, dates) -> Session:
    session = services.session_create(by=request.user, dates=dates.spans(), trainers=trainers, **fields)
    if session.is_open_for_booking():
        messages.success(request, "Session created. It is open for booking.")
    elif session.starts_at <= timezone.now():
        messages.success(request, "Session created. It has already started, so it is not open for "
                                  "booking; its register can be kept.")
    else:
        messages.success(request, f"Session created. {session.booking_closed_reason()}")
    return session


def _session_updated(request, session: Session, *, fields: dict, trainers, dates) -> Session:
    fields.pop("course", None)
    session, changes, promoted = services.session_update(
        session=session, by=request.user, dates=dates.spans(), trainers=trainers, **fields)
    said = "Session saved."
    if changes:
        said += f" Everyone booked has been emailed about the change ({', '.join(changes)})."
    if promoted:
        said += (" Given a place from the waiting list (and emailed): "
                 f"{', '.join(str(booking.person) for booking in promoted)}.")
    messages.success(request, said)
    return session


@coordinator_required
def session_edit(request, pk: int | None = None):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk) if pk else None
    if session and session.status == Session.Status.CANCELLED:
        messages.error(request, "This session has been cancelled and can no longer be changed.")
        return redirect("training:session_manage", pk=session.pk)
    initial = _new_session_initial(request) if session is None else {}
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    dates = session_date_formset(data=request.POST or None, session=session, extra=1 if session else 3)
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        fields = dict(form.cleaned_data)
        trainers = fields.pop("trainers")
        try:
            if session is None:
                session = _session_created(request, fields=fields, trainers=trainers, dates=dates)
            else:
                session = _session_updated(request, session, fields=fields, trainers=trainers, dates=dates)
        except TrainingError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                _error_message(request, error)
        else:
            return redirect("training:session_manage", pk=session.pk)
    return render(request, "training/manage/session_form.html", {
        "form": form, "dates": dates, "session": session,
        "heading": f"Edit session: {session}" if session else "New session",
    })


@coordinator_required
def session_manage(request, pk: int):
    try:
        session = selectors.session_for_page(pk=pk)
    except Session.DoesNotExist as error:
        raise Http404 from error
    return render(request, "training/manage/session.html", {
        "session": session, "bookings": selectors.session_bookings_with_history(session=session),
    })


@coordinator_required
def session_cancel(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except TrainingError as error:
            _error_message(request, error)
        else:
            messages.success(request, "Session cancelled. Everyone booked has been emailed.")
        return redirect("training:session_manage", pk=session.pk)
    return render(request, "training/manage/session_cancel.html", {"session": session, "form": form})
