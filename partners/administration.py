"""Administrators keep the partnership's register in the portal: organisations, sectors, governance bodies and
their members. Each service names the fields it writes (docs/partners.md would hold longer reasons)."""

from datetime import date
from typing import cast

from django.db import transaction
from django.db.models import Model
from django.utils.text import slugify

from core.roles import Person

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector


def _unique_slug(model: type[Organisation] | type[Sector] | type[GovernanceBody], name: str,
                 pk: int | None) -> str:
    """The name as a slug, numbered if another row has it (the URL of an existing row never changes)."""
    base = slugify(name)[:190] or "item"
    slug, n = base, 1
    others = model.objects.all() if pk is None else model.objects.exclude(pk=pk)
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug



def _unsaved(obj: Model) -> bool:
    """No row yet: django-stubs types pk as int, but it is None until the first save."""
    return cast("int | None", obj.pk) is None


@transaction.atomic
def organisation_save(*, organisation: Organisation | None, name: str, sector: Sector, org_type: str,
                      address: str, website: str, is_active: bool) -> Organisation:
    obj = organisation if organisation is not None else Organisation()
    if _unsaved(obj):
        obj.slug = _unique_slug(Organisation, name, None)
    obj.name, obj.sector, obj.org_type = name.strip(), sector, org_type
    obj.address, obj.website, obj.is_active = address.strip(), website, is_active
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def sector_save(*, sector: Sector | None, name: str, summary: str, order: int) -> Sector:
    obj = sector if sector is not None else Sector()
    if _unsaved(obj):
        obj.slug = _unique_slug(Sector, name, None)
    obj.name, obj.summary, obj.order = name.strip(), summary.strip(), order
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def governance_body_save(*, body: GovernanceBody | None, name: str, purpose: str,
                         reports_to: GovernanceBody | None, start_date: date, end_date: date | None,
                         order: int) -> GovernanceBody:
    obj = body if body is not None else GovernanceBody()
    if _unsaved(obj):
        obj.slug = _unique_slug(GovernanceBody, name, None)
    obj.name, obj.purpose, obj.reports_to = name.strip(), purpose.strip(), reports_to
    obj.start_date, obj.end_date, obj.order = start_date, end_date, order
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def membership_end(*, membership: GovernanceMembership, end_date: date, by: Person) -> GovernanceMembership:
    membership.end_date = end_date
    membership._change_reason = f"Term ended by {by}"  # type: ignore[attr-defined]  # simple_history reads it
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    return membership
