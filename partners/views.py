from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.pagination import page_of
from core.roles import Role, has_role, led_organisation_id

from . import selectors
from .forms import OrganisationFilter
from .permissions import can_see_member_contacts, get_governance_body_for, get_organisation_for


@login_required
def partnership(request):
    today = timezone.localdate()
    return render(
        request,
        "partners/partnership.html",
        {"sectors": selectors.sectors_with_counts(), "bodies": selectors.governance_bodies(on=today)},
    )


@login_required
def sector_detail(request, slug):
    sector = selectors.sector_detail(slug=slug, on=timezone.localdate())
    context = {"sector": sector, "show_contacts": can_see_member_contacts(request.user)}
    return render(request, "partners/sector_detail.html", context)


@login_required
def organisation_list(request):
    filterset = OrganisationFilter(request.GET or None, queryset=selectors.organisations_list())
    # A filter value the form does not take is shown as its error, with no organisations (as on the staff list).
    organisations = filterset.queryset.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    page, query = page_of(request, organisations, 50)
    return render(
        request,
        "partners/organisation_list.html",
        {"filter": filterset, "page": page, "query": query},
    )


@login_required
def organisation_detail(request, slug):
    organisation = get_organisation_for(request.user, slug)
    may_manage = has_role(request.user, Role.ADMINISTRATOR) or led_organisation_id(request.user) == organisation.pk
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "staff_count": selectors.organisation_staff_count(organisation=organisation),
            "may_manage": may_manage,
        },
    )


@login_required
def governance_list(request):
    bodies = selectors.governance_bodies(on=timezone.localdate())
    return render(request, "partners/governance_list.html", {"bodies": bodies})


@login_required
def governance_detail(request, slug):
    body = get_governance_body_for(request.user, slug)
    include_past = request.GET.get("past") == "1"
    members = selectors.governance_body_members(body=body, on=timezone.localdate(), include_past=include_past)
    return render(
        request,
        "partners/governance_detail.html",
        {
            "body": body,
            "members": members,
            "include_past": include_past,
            "today": timezone.localdate(),
            "show_contacts": can_see_member_contacts(request.user),
            "may_edit": has_role(request.user, Role.ADMINISTRATOR),
        },
    )
