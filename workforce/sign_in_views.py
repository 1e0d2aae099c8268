"""Signing in, slowed for an account or address under attack (sign_in_guard), and the administrator's page
that lists sign-in pauses and lifts them."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.roles import Role, role_required

from . import sign_in_guard
from .forms import SignInForm
from .security import axes_username

admin_only = role_required(Role.ADMINISTRATOR)


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = axes_username(request, None)
        if not settings.AXES_ENABLED or not username:  # the guard reads what django-axes records
            return super().post(request, *args, **kwargs)
        wait = sign_in_guard.sign_in_wait(username=username, ip_address=get_client_ip_address(request) or "")
        if wait:
            seconds = max(int(wait.total_seconds() + 0.999), 1)
            response = render(request, "registration/sign_in_slowed.html", {"wait": seconds}, status=429)
            response["Retry-After"] = str(seconds)
            return response
        return super().post(request, *args, **kwargs)


@admin_only
def pauses(request: HttpRequest) -> HttpResponse:
    return render(request, "workforce/admin/sign_in_pauses.html",
                  {"pauses": sign_in_guard.pauses(), "cooloff": settings.AXES_COOLOFF_TIME})


@admin_only
@require_POST
def pause_lift(request: HttpRequest, pk: int) -> HttpResponse:
    lifted = sign_in_guard.pause_lift(pk=pk, by=request.user)
    if lifted is None:
        messages.info(request, "That pause had already ended.")
    else:
        messages.success(request, f"Signing in to {lifted.username} from {lifted.ip_address} is no longer paused.")
    return redirect("workforce:sign_in_pauses")


@admin_only
@require_POST
def pauses_lift_for_account(request: HttpRequest) -> HttpResponse:
    username = axes_username(request, None)
    if not username:
        messages.error(request, "Say which account's pauses to lift.")
    else:
        count = sign_in_guard.pauses_lift_for_account(username=username, by=request.user)
        messages.success(request, f"{count} pause{'' if count == 1 else 's'} lifted for {username}.")
    return redirect("workforce:sign_in_pauses")
