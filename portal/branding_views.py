"""The partnership's branding: its stylesheet and logo (public, cached by version), and the administrator's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.roles import Role, role_required

from . import branding
from .forms import BrandingForm

YEAR = 60 * 60 * 24 * 365


@role_required(Role.ADMINISTRATOR)
def branding_edit(request: HttpRequest) -> HttpResponse:
    look = branding.branding_current()
    initial = {"name": look.name, "accent": look.accent, "logo_alt": look.logo_alt}
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            branding.branding_update(name=data["name"], accent=data["accent"], logo=data["logo"],
                                     logo_alt=data["logo_alt"], remove_logo=data["remove_logo"], by=request.user)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field, problem)
        else:
            messages.success(request, "The portal's name, colour and logo are saved: every page shows them now.")
            return redirect("portal:branding")
    return render(request, "portal/branding.html", {"form": form, "look": look})


@require_GET
def branding_css(request: HttpRequest) -> HttpResponse:
    look = branding.branding_current()
    css = f":root {{ --portal-accent: {look.accent}; --portal-accent-dark: {look.accent_dark}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if request.GET.get("v") else "no-cache"
    return response


@require_GET
def branding_logo(request: HttpRequest) -> HttpResponse:
    found = branding.branding_logo()
    if found is None:
        raise Http404("No logo")
    data, content_type = found
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable" if request.GET.get("v") else "no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response



