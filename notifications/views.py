"""My notifications (with preferences) and, for administrators, every notification with failures first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.pagination import page_of
from core.roles import Role, role_required

from . import selectors, services
from .forms import AllFilterForm, PreferencesForm
from .permissions import get_notification_for

PAGE_SIZE = 25


@login_required
def mine(request):
    preferences = selectors.preferences_of(person=request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.preferences_set(person=request.user, enabled_kinds=form.cleaned_data["kinds"])
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:mine")
    else:
        form = PreferencesForm(initial={"kinds": [p["kind"] for p in preferences if p["enabled"]]})
    page, _query = page_of(request, selectors.notifications_of(person=request.user), PAGE_SIZE)
    return render(request, "notifications/mine.html", {"form": form, "page": page, "preferences": preferences})


@role_required(Role.ADMINISTRATOR)
def all_notifications(request):
    filters = AllFilterForm(request.GET or None)
    status = kind = ""
    if filters.is_valid():
        status, kind = filters.cleaned_data["status"], filters.cleaned_data["kind"]
    page, query = page_of(request, selectors.notifications_all(status=status, kind=kind), PAGE_SIZE)
    return render(request, "notifications/all.html", {
        "filters": filters, "page": page, "counts": selectors.notification_counts(), "query": query,
    })


@require_POST
@role_required(Role.ADMINISTRATOR)
def resend(request, pk: int):
    notification = get_notification_for(request.user, pk)
    try:
        services.notification_resend(notification=notification, by=request.user)
    except services.NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Queued again: “{notification.subject}” to {notification.recipient}.")
    return redirect("notifications:all")
