"""Administrators' pages for the partnership's register: parse the form, call one service, say what happened."""

from collections.abc import Callable
from typing import Any

from django import forms
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


def _form_page(request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], HttpResponse], *,
               heading: str, back: str, back_label: str, submit: str) -> HttpResponse:
    """The form's page; a valid POST is saved by `save(cleaned_data)`, which says what happened and redirects."""
    if request.method == "POST" and form.is_valid():
        return save(form.cleaned_data)
    return render(request, "partners/admin_form.html", {"form": form, "heading": heading, "back": back,
                                                        "back_label": back_label, "submit": submit})  # fmt: skip


@admin_only
def organisation_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug) if slug else None

    def save(data: dict[str, Any]) -> HttpResponse:
        saved = services.organisation_save(organisation=organisation, **data)
        messages.success(request, f"{saved.name} is saved.")
        if saved.is_active:
            return redirect("partners:organisation", slug=saved.slug)
        return redirect("partners:organisations")

    return _form_page(request, OrganisationForm(request.POST or None, instance=organisation), save,
                      heading=f"Edit {organisation.name}" if organisation else "Add an organisation",
                      back="partners:organisations", back_label="Organisations",
                      submit="Save" if organisation else "Add the organisation")  # fmt: skip


@admin_only
def sector_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    sector = get_object_or_404(Sector, slug=slug) if slug else None

    def save(data: dict[str, Any]) -> HttpResponse:
        saved = services.sector_save(sector=sector, **data)
        messages.success(request, f"The {saved.name} sector is saved.")
        return redirect("partners:sector", slug=saved.slug)

    return _form_page(request, SectorForm(request.POST or None, instance=sector), save,
                      heading=f"Edit the {sector.name} sector" if sector else "Add a sector",
                      back="partners:partnership", back_label="The partnership",
                      submit="Save" if sector else "Add the sector")  # fmt: skip


@admin_only
def governance_body_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, slug=slug) if slug else None

    def save(data: dict[str, Any]) -> HttpResponse:
        saved = services.governance_body_save(body=body, **data)
        messages.success(request, f"{saved.name} is saved.")
        return redirect("partners:governance_body", slug=saved.slug)

    return _form_page(request, GovernanceBodyForm(request.POST or None, instance=body), save,
                      heading=f"Edit {body.name}" if body else "Add a governance body",
                      back="partners:governance", back_label="Governance",
                      submit="Save" if body else "Add the body")  # fmt: skip


@admin_only
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, slug=slug)

    def save(data: dict[str, Any]) -> HttpResponse:
        governance_membership_upsert(body=body, **data)
        messages.success(request, f"The seat on {body.name} is recorded.")
        return redirect("partners:governance_body", slug=body.slug)

    form = MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()})
    return _form_page(request, form, save, heading=f"Add a member to {body.name}", back="partners:governance",
                      back_label="Governance", submit="Add the member")


@admin_only
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(GovernanceMembership.objects.select_related("body", "user"), pk=pk,
                                   end_date__isnull=True)

    def save(data: dict[str, Any]) -> HttpResponse:
        services.membership_end(membership=membership, end_date=data["end_date"], by=request.user)
        messages.success(request, f"{membership.member_name}'s term as {membership.role} of {membership.body} "
                                  f"ends on {data['end_date']:%-d %B %Y}.")  # fmt: skip
        return redirect("partners:governance_body", slug=membership.body.slug)

    form = MembershipEndForm(request.POST or None, membership=membership, initial={"end_date": timezone.localdate()})
    return _form_page(request, form, save, heading=f"End {membership.member_name}'s term on {membership.body}",
                      back="partners:governance", back_label="Governance", submit="End the term")
