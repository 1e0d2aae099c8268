"""Reads about the partnership: sectors, organisations, governance bodies and their members."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from core.roles import Person

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector

# "People on the portal" are the staff profiles of active accounts (a deactivated account has left), as on
# the workforce dashboard.
ON_PORTAL = Q(staff__user__is_active=True)


def sectors_with_counts() -> QuerySet[Sector]:
    """Every sector with its number of active organisations and of people on the portal."""
    return Sector.objects.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True), distinct=True),
        staff_count=Count("organisations__staff", filter=Q(organisations__staff__user__is_active=True), distinct=True),
    ).order_by("order", "name")


def organisations_list(*, sector: Sector | None = None, org_type: str = "", search: str = "") -> QuerySet[Organisation]:
    qs = (
        Organisation.objects.filter(is_active=True)
        .select_related("sector")
        .annotate(staff_count=Count("staff", filter=ON_PORTAL))
    )
    if sector is not None:
        qs = qs.filter(sector=sector)
    if org_type:
        qs = qs.filter(org_type=org_type)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.order_by("name")


def organisation_staff_count(*, organisation: Organisation) -> int:
    return organisation.staff.filter(user__is_active=True).count()


def _current(on: date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def memberships_current(*, on: date) -> QuerySet[GovernanceMembership]:
    return GovernanceMembership.objects.filter(_current(on)).select_related(
        "user__profile", "sector", "organisation", "body"
    )


def governance_bodies(*, on: date) -> QuerySet[GovernanceBody]:
    """All bodies, current first, each with its number of current members."""
    return (
        GovernanceBody.objects.select_related("reports_to")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__start_date__lte=on)
                & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=on)),
            )
        )
        .order_by("end_date", "order", "name")
    )


def governance_body_members(
    *, body: GovernanceBody, on: date, include_past: bool = False
) -> QuerySet[GovernanceMembership]:
    """The body's memberships, in sector order (members without a sector last)."""
    qs = body.memberships.select_related("user__profile__organisation", "sector", "organisation")
    if not include_past:
        qs = qs.filter(_current(on))
    return qs.order_by("sector__order", "sector__name", "role", "external_name", "user__last_name")


def sector_detail(*, slug: str, on: date) -> Sector:
    """A sector with its organisations (with staff counts) and current governance members prefetched."""
    from django.shortcuts import get_object_or_404

    organisations = (
        Organisation.objects.filter(is_active=True)
        .annotate(staff_count=Count("staff", filter=ON_PORTAL))
        .order_by("name")
    )
    members = memberships_current(on=on).order_by("body__order", "role")
    return get_object_or_404(
        Sector.objects.prefetch_related(
            Prefetch("organisations", queryset=organisations, to_attr="active_organisations"),
            Prefetch("governance_memberships", queryset=members, to_attr="current_memberships"),
        ),
        slug=slug,
    )


def personal_data_of(*, person: Person) -> dict[str, tuple[str, object]]:
    """Governance seats the person holds or held, and their history (the privacy app's export)."""
    return {
        "governance_memberships": (
            "Governance memberships",
            GovernanceMembership.objects.filter(user_id=person.pk).select_related("body", "sector", "organisation"),
        ),
        "governance_membership_history": (
            "Changes to governance memberships",
            GovernanceMembership.history.filter(user_id=person.pk).order_by("history_date"),
        ),
    }


EXTERNAL_PLACEHOLDER = "Former external member"


def external_memberships_ended_before(*, day: date) -> QuerySet[GovernanceMembership]:
    """External representatives' seats that ended before `day` and still hold contact details."""
    return GovernanceMembership.objects.filter(user__isnull=True, end_date__lt=day).exclude(
        external_email="", external_phone="", external_name__startswith=EXTERNAL_PLACEHOLDER
    )
