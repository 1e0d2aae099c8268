"""The catalogue, course, session and event pages anyone signed in can read."""


from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.roles import Role, has_role

from .. import selectors
from ..filters import CatalogueFilter
from ..models import Course, Event, Session
from ..permissions import is_coordinator


@login_required
def catalogue(request):
    filterset = CatalogueFilter(request.GET or None, queryset=selectors.courses_catalogue(user=request.user),
                                user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "training/catalogue.html", {
        "filter": filterset, "query": query.urlencode(), "full_query": request.GET.urlencode(),
        "results": selectors.CatalogueResults(filterset.qs, page_number=request.GET.get("page"), user=request.user,
                                              places_free=filterset.places_free_asked(),
                                              personal=filterset.still_needed_asked()),
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
        "may_manage": is_coordinator(request.user),
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
        # From the roles already read (no query): a line manager books their team, a coordinator anyone.
        "may_book_others": has_role(request.user, Role.LINE_MANAGER, Role.TRAINING_COORDINATOR),
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
