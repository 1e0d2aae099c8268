"""Administrators' pages for the partnership's register: parse the form, call one service, say what happened."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.roles import Role, role_required

from . import administration as services
from .forms import GovernanceBodyForm, MembershipEndForm, MembershipForm, OrganisationForm, SectorForm
from .models import GovernanceBody, GovernanceMembership, Organisation, Sector
from .services import governance_membership_upsert

admin_only = role_required(Role.ADMINISTRATOR)


def _page(request: HttpRequest, form: object, *, heading: str, back: str, back_label: str,
          submit: str) -> HttpResponse:
    return render(request, "partners/admin_form.html", {"form": form, "heading": heading, "back": back,
                                                        "back_label": back_label, "submit": submit})  # fmt: skip


@admin_only
def organisation_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = services.organisation_save(organisation=organisation, **form.cleaned_data)
        messages.success(request, f"{saved.name} is saved.")
        if saved.is_active:
            return redirect("partners:organisation", slug=saved.slug)
        return redirect("partners:organisations")
    return _page(request, form, heading=f"Edit {organisation.name}" if organisation else "Add an organisation",
                 back="partners:organisations", back_label="Organisations",
                 submit="Save" if organisation else "Add the organisation")  # fmt: skip


@admin_only
def sector_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    sector = get_object_or_404(Sector, slug=slug) if slug else None
    form = SectorForm(request.POST or None, instance=sector)
    if request.method == "POST" and form.is_valid():
        saved = services.sector_save(sector=sector, **form.cleaned_data)
        messages.success(request, f"The {saved.name} sector is saved.")
        return redirect("partners:sector", slug=saved.slug)
    return _page(request, form, heading=f"Edit the {sector.name} sector" if sector else "Add a sector",
                 back="partners:partnership", back_label="The partnership",
                 submit="Save" if sector else "Add the sector")  # fmt: skip


@admin_only
def governance_body_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, slug=slug) if slug else None
    form = GovernanceBodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        saved = services.governance_body_save(body=body, **form.cleaned_data)
        messages.success(request, f"{saved.name} is saved.")
        return redirect("partners:governance_body", slug=saved.slug)
    return _page(request, form, heading=f"Edit {body.name}" if body else "Add a governance body",
                 back="partners:governance", back_label="Governance",
                 submit="Save" if body else "Add the body")  # fmt: skip


@admin_only
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, slug=slug)
    form = MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        governance_membership_upsert(body=body, **form.cleaned_data)
        messages.success(request, f"The seat on {body.name} is recorded.")
        return redirect("partners:governance_body", slug=body.slug)
    return _page(request, form, heading=f"Add a member to {body.name}", back="partners:governance",
                 back_label="Governance", submit="Add the member")


@admin_only
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(GovernanceMembership.objects.select_related("body", "user"), pk=pk,
                                   end_date__isnull=True)
    form = MembershipEndForm(request.POST or None, membership=membership,
                             initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.membership_end(membership=membership, end_date=form.cleaned_data["end_date"], by=request.user)
        messages.success(request, f"{membership.member_name}'s term as {membership.role} of {membership.body} "
                                  f"ends on {form.cleaned_data['end_date']:%-d %B %Y}.")  # fmt: skip
        return redirect("partners:governance_body", slug=membership.body.slug)
    return _page(request, form, heading=f"End {membership.member_name}'s term on {membership.body}",
                 back="partners:governance", back_label="Governance", submit="End the term")


