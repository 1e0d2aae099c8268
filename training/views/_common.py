"""What the training pages share: the coordinator check, domain errors as messages, file downloads."""

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join

from core.roles import Role, role_required

from ..errors import PrerequisitesMissing, TrainingError
from ..models import Booking

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


def _download(content: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """A file response. The name keeps letters, digits, dot, dash and underscore (course codes are free text)."""
    safe = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", filename)).strip("-") or "download"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    return response


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
