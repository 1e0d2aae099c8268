"""The register on the day: marks, closing, the sign-in sheet and the attendee list."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import certificates, exports, forms, permissions, selectors, services
from ..errors import TrainingError
from ..models import Booking, Session
from ..permissions import is_coordinator
from ._common import S, _download, _error_message


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
        "has_begun": session.starts_at is not None and session.starts_at <= timezone.now(),
    })


def _walk_in_person(who: str):
    """The person a coordinator typed: an email, or a name that only one person of the partnership has."""
    from workforce.selectors import people_matching

    who = who.replace("\x00", "").strip()
    if not who:
        return None, "Type the walk-in's email address or full name."
    found = people_matching(who=who)
    if not found:
        return None, f"No one in the partnership matches “{who}”. Check the spelling, or type their email address."
    if len(found) > 1:
        return None, (f"{len(found) if len(found) < 6 else 'Several'} people match “{who}”: "
                      "type their email address instead.")  # fmt: skip
    return found[0], ""


@login_required
@require_POST
def session_walk_in(request, pk: int):
    """Add someone who came without a place to the register, marked attended."""
    session = permissions.get_session_register_for(request.user, pk)
    person, problem = _walk_in_person(request.POST.get("who", "")[:200])
    if person is None:
        messages.error(request, problem)
    else:
        try:
            services.walk_in_add(session=session, person=person, by=request.user)
        except TrainingError as error:
            _error_message(request, error)
        else:
            messages.success(request, f"{person} added as a walk-in and marked attended.")
    return redirect("training:session_register", pk=session.pk)


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
