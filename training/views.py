"""Training pages. Thin: parse the form, look the object up through an access helper, call one service,
redirect or render. Domain errors (training.errors) become messages on the page."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from core.pagination import page_of
from core.roles import Role, role_required

from . import certificates, compliance, exports, forms, permissions, selectors, services
from .errors import OverlapNeedsConfirmation, PrerequisitesMissing, TrainingError
from .filters import CatalogueFilter
from .forms import (
    BandForm,
    BookingCreateForm,
    BookingDeclineForm,
    BookingTransferForm,
    CourseForm,
    EventForm,
    RequirementForm,
    SessionCancelForm,
    SessionForm,
    StandardVersionForm,
    ThemeForm,
    session_date_formset,
)
from .models import Band, Booking, Course, Event, Requirement, Session, StandardVersion, Theme
from .permissions import get_booking_for_manager, get_own_booking_for, is_coordinator

coordinator_required = role_required(Role.TRAINING_COORDINATOR)
S = Booking.Status
CANCELLABLE = (Booking.Status.CONFIRMED, Booking.Status.PENDING_APPROVAL, Booking.Status.WAITLISTED)


def _error_message(request, error: TrainingError) -> None:
    if isinstance(error, PrerequisitesMissing):
        links = format_html_join(
            ", ", '<a href="{}">{}</a>', ((course.get_absolute_url(), course.title) for course in error.courses)
        )
        messages.error(request, format_html(error.sentence, courses=links, person=error.person))
    else:
        messages.error(request, error.message)


# === The catalogue and course pages =========================================================================


@login_required
def catalogue(request):
    filterset = CatalogueFilter(request.GET or None, queryset=selectors.courses_catalogue(user=request.user),
                                user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "training/catalogue.html", {
        "filter": filterset, "query": query.urlencode(), "full_query": request.GET.urlencode(),
        "results": selectors.CatalogueResults(filterset.qs, page_number=request.GET.get("page"), user=request.user,
                                              places_free=filterset.places_free_asked()),
        "version": selectors.catalogue_version(),
        "events": selectors.events_upcoming()[:3],
        "band_number": selectors.band_number_of(request.user),
    })


@login_required
def course_detail(request, pk: int):
    try:
        course = selectors.course_for_page(pk=pk, user=request.user)
    except Course.DoesNotExist as error:
        raise Http404 from error
    mine = selectors.bookings_live_on(person=request.user, course=course)
    missing = selectors.prerequisites_missing(course=course, person=request.user,
                                             needed=list(course.prerequisites.all()))  # prefetched with the page
    return render(request, "training/course_detail.html", {
        "course": course, "version": selectors.catalogue_version(), "missing": missing,
        "missing_ids": [c.pk for c in missing],
        # Read only when the table is rendered again (its cached copy is used otherwise).
        "sessions": SimpleLazyObject(lambda: selectors.course_sessions_upcoming(course=course, mine=mine)),
        "sessions_version": selectors.course_sessions_version(course=course),
        "my_places": sorted((session_id, booking.status) for session_id, booking in mine.items()),
    })


@login_required
def session_detail(request, pk: int):
    try:
        session = selectors.session_for_page(pk=pk)
    except Session.DoesNotExist as error:
        raise Http404 from error
    if not session.course.is_active and not is_coordinator(request.user):
        raise Http404
    my_booking = selectors.bookings_live_of(person=request.user, session_ids=[session.pk]).get(session.pk)
    position = selectors.waitlist_position(my_booking) if my_booking else None
    return render(request, "training/session_detail.html", {
        "session": session, "course": session.course, "my_booking": my_booking, "position": position,
        "missing": selectors.prerequisites_missing(course=session.course, person=request.user),
        "is_open": session.is_open_for_booking(), "closed_reason": session.booking_closed_reason(),
        "deadline_passed": bool(session.cancellation_deadline and timezone.now() > session.cancellation_deadline),
    })


@login_required
def event_detail(request, slug: str):
    event = get_object_or_404(Event, slug=slug)
    sessions = list(selectors.sessions_with_places(event.sessions.exclude(status=Session.Status.CANCELLED))
                    .order_by("starts_at", "pk"))
    mine = selectors.bookings_live_of(person=request.user, session_ids=[s.pk for s in sessions])
    for session in sessions:
        session.my_booking = mine.get(session.pk)
    return render(request, "training/event_detail.html", {"event": event, "sessions": sessions})


# === Booking ================================================================================================


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
def my_bookings(request):
    return render(request, "training/my_bookings.html", selectors.bookings_of(person=request.user))


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


# === Managers: approvals and transfers =======================================================================


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
            _error_message(request, error)
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


# === Coordinators: the standard ===============================================================================


@coordinator_required
def standard(request):
    return render(request, "training/manage/standard.html", selectors.standard_overview())


@coordinator_required
def standard_version_detail(request, pk: int):
    version = get_object_or_404(StandardVersion, pk=pk)
    return render(request, "training/manage/version_detail.html", {
        "version": version, "requirements": selectors.requirements_of_version(version),
        "versions": StandardVersion.objects.exclude(pk=pk),
    })


def _edit(request, *, form_class, instance, save, heading: str, success: str, back: str, template=None):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items()}
        try:
            save(instance, fields)
        except TrainingError as error:
            _error_message(request, error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, template or "training/manage/form.html", {
        "form": form, "heading": heading, "back": back, "submit_label": "Save",
    })


@coordinator_required
def standard_version_edit(request, pk: int | None = None):
    version = get_object_or_404(StandardVersion, pk=pk) if pk else None
    return _edit(
        request, form_class=StandardVersionForm, instance=version,
        save=lambda obj, f: services.standard_version_save(version=obj, by=request.user, **f),
        heading="Edit the version" if version else "New version of the standard",
        success="Version saved.", back=reverse("training:standard"),
    )


@coordinator_required
@require_POST
def standard_version_make_current(request, pk: int):
    version = get_object_or_404(StandardVersion, pk=pk)
    copy_from_pk = request.POST.get("copy_from", "")
    copy_from = (StandardVersion.objects.exclude(pk=pk).filter(pk=copy_from_pk).first() if copy_from_pk.isdecimal()
                 else None)
    if copy_from_pk and copy_from is None:
        messages.error(request, "Choose a version of the standard to copy the requirements from. Nothing was changed.")
        return redirect("training:version_detail", pk=pk)
    services.standard_version_make_current(version=version, by=request.user, copy_requirements_from=copy_from)
    messages.success(request, f"{version} is now the current version of the standard.")
    return redirect("training:standard")


@coordinator_required
def band_edit(request, pk: int | None = None):
    band = get_object_or_404(Band, pk=pk) if pk else None
    return _edit(
        request, form_class=BandForm, instance=band,
        save=lambda obj, f: services.band_save(band=obj, by=request.user, **f),
        heading=f"Edit band {band.number}" if band else "New band", success="Band saved.",
        back=reverse("training:standard"),
    )


@coordinator_required
def theme_edit(request, pk: int | None = None):
    theme = get_object_or_404(Theme, pk=pk) if pk else None
    return _edit(
        request, form_class=ThemeForm, instance=theme,
        save=lambda obj, f: services.theme_save(theme=obj, by=request.user, **f),
        heading=f"Edit theme: {theme}" if theme else "New theme", success="Theme saved.",
        back=reverse("training:standard"),
    )


@coordinator_required
def requirement_edit(request, pk: int | None = None):
    requirement = get_object_or_404(Requirement, pk=pk) if pk else None
    initial = {} if requirement else {"version": selectors.standard_version_current()}
    form = RequirementForm(request.POST or None, instance=requirement, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        courses = fields.pop("courses")
        services.requirement_save(requirement=requirement, by=request.user, courses=courses, **fields)
        messages.success(request, "Requirement saved.")
        return redirect("training:standard")
    return render(request, "training/manage/form.html", {
        "form": form, "heading": "Edit the requirement" if requirement else "New requirement",
        "back": reverse("training:standard"), "submit_label": "Save requirement",
    })


@coordinator_required
@require_POST
def requirement_delete(request, pk: int):
    requirement = get_object_or_404(Requirement, pk=pk)
    services.requirement_delete(requirement=requirement, by=request.user)
    messages.success(request, f"Requirement “{requirement.title}” removed.")
    return redirect("training:standard")


# === Coordinators: courses, events, sessions ====================================================================


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


@coordinator_required
def session_edit(request, pk: int | None = None):
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk) if pk else None
    if session and session.status == Session.Status.CANCELLED:
        messages.error(request, "This session has been cancelled and can no longer be changed.")
        return redirect("training:session_manage", pk=session.pk)
    initial = {}
    if session is None:  # "New session" links from a course or an event page fill it in; anything else is ignored
        for name, model in (("course", Course), ("event", Event)):
            if request.GET.get(name, "").isdecimal():
                initial[name] = model.objects.filter(pk=request.GET[name]).first()
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    dates = session_date_formset(data=request.POST or None, session=session, extra=1 if session else 3)
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        fields = dict(form.cleaned_data)
        trainers = fields.pop("trainers")
        try:
            if session is None:
                session = services.session_create(by=request.user, dates=dates.spans(), trainers=trainers, **fields)
                if session.is_open_for_booking():
                    messages.success(request, "Session created. It is open for booking.")
                elif session.starts_at <= timezone.now():
                    messages.success(request, "Session created. It has already started, so it is not open for "
                                              "booking; its register can be kept.")
                else:
                    messages.success(request, f"Session created. {session.booking_closed_reason()}")
            else:
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


# --- register, certificates, evaluations, compliance ---------------------------------------------------


def _download(content: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """A file response. The name keeps letters, digits, dot, dash and underscore (course codes are free text)."""
    safe = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", filename)).strip("-") or "download"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    return response


def _people(bookings: list[Booking]) -> str:
    return ", ".join(str(booking.person) for booking in bookings)


def _marked(how: str, changed: list[Booking]) -> str:
    if not changed:
        return f"Already marked {how}: nothing changed."
    if len(changed) == 1:
        return f"{changed[0].person} marked {how}."
    return f"{len(changed)} people marked {how}."


def _register_post(request, session: Session, bookings: list[Booking]):
    form = forms.RegisterMarkForm(request.POST, booking_ids=[b.pk for b in bookings])
    back = reverse("training:session_register_close" if request.POST.get("next") == "close"
                   else "training:session_register", args=[session.pk])
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        if form.errors and not form.non_field_errors():
            messages.error(request, "Those people are not on this register. Nothing was marked.")
        return redirect(back)
    data = form.cleaned_data
    try:
        marks = services.attendance_mark(session=session, booking_ids=data["ids"], attended=data["attended"],
                                         overwrite=data["overwrite"], by=request.user)
    except TrainingError as error:
        _error_message(request, error)
        return redirect(back)
    how = "attended" if data["attended"] else "did not attend"
    if marks.changed or not marks.left:
        messages.success(request, _marked(how, marks.changed))
    if not marks.left:
        return redirect(back)
    other = "did not attend" if data["attended"] else "attended"
    were = "was" if len(marks.left) == 1 else "were"
    messages.warning(request, f"{_people(marks.left)} {were} already marked {other}, so left as marked.")
    query = urlencode({"change_to": data["bulk"], "booking": [b.pk for b in marks.left]}, doseq=True)
    return redirect(f"{reverse('training:session_register', args=[session.pk])}?{query}#change-marks")


def _marks_to_change(query, bookings: list[Booking]) -> tuple[str, list[Booking]]:
    """The people a bulk mark left as they were, when the register asks whether to change them too."""
    change_to = query.get("change_to")
    if change_to not in {S.ATTENDED, S.NO_SHOW}:
        return "", []
    asked = set(query.getlist("booking"))
    return change_to, [b for b in bookings if str(b.pk) in asked and b.status not in {S.CONFIRMED, change_to}]


@login_required
def session_register(request, pk: int):
    """On the day: the people holding a place, marked attended or did not attend (one by one or ticked in bulk)."""
    session = permissions.get_session_register_for(request.user, pk)
    bookings = selectors.register_bookings(session=session)
    if request.method == "POST":
        return _register_post(request, session, bookings)
    change_to, to_change = _marks_to_change(request.GET, bookings)
    session = selectors.session_for_register(pk=session.pk)
    return render(request, "training/register.html", {
        "session": session, "course": session.course, "bookings": bookings,
        "counts": selectors.register_counts(bookings),
        "can_mark": session.register_can_be_marked(),
        "can_close": session.status == Session.Status.CLOSED or session.can_be_closed(),
        "change_to": change_to, "to_change": to_change,
        "evaluation": selectors.evaluation_summary(selectors.evaluations_of_session(session=session)),
        "is_coordinator": is_coordinator(request.user),
    })


@login_required
def session_register_close(request, pk: int):
    """Closing asks first: the marks in sum, anyone unmarked (marked here), and who on the waiting list lapses."""
    session = permissions.get_session_register_for(request.user, pk)
    register = reverse("training:session_register", args=[session.pk])
    if session.status != Session.Status.SCHEDULED or not session.register_can_be_marked():
        if request.method == "POST" and session.status == Session.Status.CLOSED:
            messages.info(request, "This session was already closed. Its completions are up to date.")
        return redirect(register)
    if request.method == "POST" and request.POST.get("confirm") == "close":
        try:
            services.session_close(session=session, by=request.user)
        except TrainingError as error:
            _error_message(request, error)
            return redirect("training:session_register_close", pk=session.pk)
        messages.success(request, "Session closed. Everyone who attended now has a completion and can "
                                  "download their certificate.")
        return redirect(register)
    if request.method == "POST":
        return redirect("training:session_register_close", pk=session.pk)
    bookings = selectors.register_bookings(session=session)
    return render(request, "training/register_close.html", {
        "session": session, "course": session.course, "counts": selectors.register_counts(bookings),
        "unmarked": [b for b in bookings if b.status == S.CONFIRMED],
        "waiting": selectors.register_requests_waiting(session=session),
        "can_close": session.can_be_closed(), "is_coordinator": is_coordinator(request.user),
    })


@login_required
def session_sign_in_sheet(request, pk: int):
    session = permissions.get_session_register_for(request.user, pk)
    bookings = selectors.register_bookings(session=session)
    return _download(certificates.sign_in_sheet_pdf(session, bookings), content_type="application/pdf",
                     filename=certificates.sign_in_sheet_filename(session), inline=True)


@login_required
def session_attendees_export(request, pk: int):
    session = permissions.get_session_register_for(request.user, pk)
    when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d") if session.starts_at else "undated"
    return _download(
        exports.session_attendees_csv(session=session, bookings=selectors.register_bookings(session=session)),
        content_type="text/csv", filename=f"attendees-{session.course.code}-{when}.csv".replace(" ", "-"),
    )


@login_required
def course_history_export(request, pk: int):
    course = permissions.get_course_records_for(request.user, pk)
    return _download(exports.course_history_csv(bookings=selectors.course_history(course=course)),
                     content_type="text/csv", filename=f"course-history-{course.code}.csv".replace(" ", "-"))


@login_required
def course_evaluations(request, pk: int):
    course = permissions.get_course_records_for(request.user, pk)
    return render(request, "training/evaluation_course.html", {
        "course": course,
        "summary": selectors.evaluation_summary(selectors.evaluations_of_course(course=course)),
        "sessions": selectors.course_sessions_evaluated(course=course),
    })


@login_required
def certificate_download(request, pk: int):
    completion = permissions.get_completion_for(request.user, pk)
    return _download(certificates.certificate_pdf(completion), content_type="application/pdf",
                     filename=certificates.certificate_filename(completion))


@login_required
def evaluation_create(request, pk: int):
    booking = permissions.get_attended_booking_for(request.user, pk)
    existing = getattr(booking, "evaluation", None)
    form = forms.EvaluationForm(request.POST or None)
    if existing is None and request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(booking=booking, by=request.user, rating=form.cleaned_data["rating"],
                                       comments=form.cleaned_data["comments"])
        except TrainingError as error:
            _error_message(request, error)
        else:
            messages.success(request, "Thank you for your feedback.")
            return redirect("training:my_training")
    return render(request, "training/evaluation_form.html", {
        "booking": booking, "session": booking.session, "form": form, "existing": existing,
    })


@login_required
def my_training(request):
    return render(request, "training/my_training.html", {
        "version": selectors.my_training_version(person=request.user),
        "my": selectors.MyTraining(person=request.user, today=timezone.localdate()),
    })


COMPLIANCE_SCOPES = {
    "team": ("My team's training compliance", permissions.can_see_team_compliance),
    "organisation": ("My organisation's training compliance", permissions.can_see_organisation_compliance),
    "all": ("Training compliance across the partnership", permissions.can_see_all_compliance),
}
COMPLIANCE_PAGE_SIZE = 50


@login_required
def compliance_matrix(request, scope: str, export: bool = False):
    """A matrix of people × the current standard's requirements (state in colour and words), for a line
    manager's team, an organisation lead's organisation, or (administrators) everyone; CSV of the full set."""
    heading, allowed = COMPLIANCE_SCOPES.get(scope, (None, None))
    if allowed is None or not allowed(request.user):
        raise Http404
    whole_partnership = scope == "all"
    form = forms.ComplianceFilterForm(request.GET or None, whole_partnership=whole_partnership)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    people = selectors.people_for_compliance(
        scope=scope, user=request.user, organisation=filters.get("organisation"), sector=filters.get("sector"),
        band=filters.get("band"), q=filters.get("q") or "",
    )
    today = timezone.localdate()
    matrix = compliance.compliance_matrix(people=people, today=today)
    if export:
        return _download(exports.compliance_csv(matrix=matrix), content_type="text/csv",
                         filename=f"training-compliance-{scope}-{today:%Y-%m-%d}.csv")
    page, query = page_of(request, matrix.rows, COMPLIANCE_PAGE_SIZE)
    return render(request, "training/compliance_matrix.html", {
        "heading": heading, "scope": scope, "form": form, "matrix": matrix, "page": page,
        "query": query, "standard": selectors.standard_version_current(),
        "due_soon_days": compliance.DUE_SOON_DAYS, "states": compliance.SUMMARY_STATES,
        "export_url": reverse(f"training:compliance_{scope}_export") + (f"?{query}" if query else ""),
        "scopes": [(name, label, reverse(f"training:compliance_{name}"))
                   for name, (label, can) in COMPLIANCE_SCOPES.items() if can(request.user)],
    })
