"""Administrators keep the partnership's register in the portal: organisations, sectors, governance bodies and
their members. Each service names the fields it writes (docs/partners.md would hold longer reasons)."""

from datetime import date

from django.db import transaction
from django.utils.text import slugify

from core.roles import Person

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector


def _unique_slug(model: type[Organisation] | type[Sector] | type[GovernanceBody], name: str,
                 pk: int | None) -> str:
    """The name as a slug, numbered if another row has it (the URL of an existing row never changes)."""
    base = slugify(name)[:190] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_save(*, organisation: Organisation | None, name: str, sector: Sector, org_type: str,
                      address: str, website: str, is_active: bool) -> Organisation:
    organisation = organisation or Organisation()
    if organisation.pk is None:
        organisation.slug = _unique_slug(Organisation, name, None)
    organisation.name, organisation.sector, organisation.org_type = name.strip(), sector, org_type
    organisation.address, organisation.website, organisation.is_active = address.strip(), website, is_active
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def sector_save(*, sector: Sector | None, name: str, summary: str, order: int) -> Sector:
    sector = sector or Sector()
    if sector.pk is None:
        sector.slug = _unique_slug(Sector, name, None)
    sector.name, sector.summary, sector.order = name.strip(), summary.strip(), order
    sector.full_clean()
    sector.save()
    return sector


@transaction.atomic
def governance_body_save(*, body: GovernanceBody | None, name: str, purpose: str,
                         reports_to: GovernanceBody | None, start_date: date, end_date: date | None,
                         order: int) -> GovernanceBody:
    body = body or GovernanceBody()
    if body.pk is None:
        body.slug = _unique_slug(GovernanceBody, name, None)
    body.name, body.purpose, body.reports_to = name.strip(), purpose.strip(), reports_to
    body.start_date, body.end_date, body.order = start_date, end_date, order
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def membership_end(*, membership: GovernanceMembership, end_date: date, by: Person) -> GovernanceMembership:
    membership.end_date = end_date
    membership._change_reason = f"Term ended by {by}"  # type: ignore[attr-defined]  # simple_history reads it
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership
