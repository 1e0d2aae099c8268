"""The bare reference views the HTTP benches compare against (never in production's URLs): the least the
stack can do behind the same middleware, so the ratios say what our own code adds."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core.locking import lock_wait_at_most
from training.models import Booking, Course, Session
from training.services import LOCK_TIMEOUT


@login_required
@require_POST
def bare_book(request, pk: int):
    """Only the booking's row lock and one insert: the session row taken FOR UPDATE (as the booking service
    takes it, with the same lock timeout), one booking row written, committed."""
    with transaction.atomic():
        lock_wait_at_most(LOCK_TIMEOUT)
        session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=pk)
        Booking.objects.create(session=session, person=request.user, booked_by=request.user,
                               status=Booking.Status.WAITLISTED)
    return HttpResponse("Booked.", content_type="text/plain")


@login_required
def bare_page(request):
    """base.html rendered for the signed-in person with one query of the view's own."""
    return render(request, "base.html", {"course": Course.objects.order_by("pk").first()})
