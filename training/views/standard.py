"""Coordinators edit the Core Training Standard: versions, bands, themes and requirements."""


from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import (
    BandForm,
    RequirementForm,
    StandardVersionForm,
    ThemeForm,
)
from ..models import Band, Requirement, StandardVersion, Theme
from ._common import _edit, coordinator_required


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
