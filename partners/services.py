"""Writes about the partnership. Governance bodies and memberships are edited in the admin; these
services are the one way code (demo data, other apps) records them."""

from datetime import date
from typing import Any, TypeVar

from django.db import transaction

from core.personal_data import Redact
from core.roles import Person

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector

M = TypeVar("M", GovernanceBody, GovernanceMembership)


def _upsert(model: type[M], *, key: dict[str, Any], values: dict[str, Any]) -> M:
    """get_or_create, then save only what differs: running it again writes nothing (and no history row)."""
    obj, created = model.objects.get_or_create(**key, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
    return obj


class MembershipError(Exception):
    """A membership that breaks the rules (no member, or both a user and an external name)."""


def governance_body_upsert(
    *, name: str, slug: str, start_date: date, end_date: date | None = None, purpose: str = "",
    reports_to: GovernanceBody | None = None, order: int = 0,
) -> GovernanceBody:  # fmt: skip
    with transaction.atomic():
        body = _upsert(
            GovernanceBody,
            key={"slug": slug},
            values={
                "name": name, "start_date": start_date, "end_date": end_date, "purpose": purpose,
                "reports_to": reports_to, "order": order,
            },  # fmt: skip
        )
    return body


def governance_membership_upsert(
    *,
    body: GovernanceBody,
    start_date: date,
    role: str = "Member",
    user: Person | None = None,
    external_name: str = "",
    external_job_title: str = "",
    external_email: str = "",
    external_phone: str = "",
    sector: Sector | None = None,
    organisation: Organisation | None = None,
    end_date: date | None = None,
) -> GovernanceMembership:
    """Record a seat on a body, keyed by (body, member, start date): calling it again updates the seat."""
    if (user is None) == (not external_name):
        raise MembershipError("A member is either a portal user or a named external representative.")
    key = {"body": body, "start_date": start_date}
    key |= {"user": user} if user is not None else {"user": None, "external_name": external_name}
    with transaction.atomic():
        membership = _upsert(
            GovernanceMembership,
            key=key,
            values={
                "role": role, "external_job_title": external_job_title, "external_email": external_email,
                "external_phone": external_phone, "sector": sector, "organisation": organisation,
                "end_date": end_date,
            },  # fmt: skip
        )
    return membership


EXTERNAL_FIELDS = ["external_name", "external_job_title", "external_email", "external_phone"]


def personal_data_anonymise(*, person: Person, redact: Redact) -> dict[str, int]:
    """Governance seats keep their user (shown as the placeholder name); text that named the person
    (an external seat they held before they had an account) is rewritten, history included."""
    return {
        "governance memberships": redact.rewrite(GovernanceMembership.objects.all(), EXTERNAL_FIELDS)
        + redact.rewrite(GovernanceMembership.history.all(), EXTERNAL_FIELDS)
    }


def external_memberships_anonymise(*, ended_before: date) -> int:
    """Retention: an external representative's name and contact details go once their seat has ended
    long enough ago; the seat (body, role, sector, dates) stays for the governance record."""
    from .selectors import EXTERNAL_PLACEHOLDER, external_memberships_ended_before

    count = 0
    with transaction.atomic():
        for membership in external_memberships_ended_before(day=ended_before).select_for_update(of=("self",)):
            membership.external_name = f"{EXTERNAL_PLACEHOLDER} {membership.pk}"
            membership.external_job_title = membership.external_email = membership.external_phone = ""
            membership._change_reason = "Retention: contact details removed"  # type: ignore[attr-defined]  # simple_history reads it
            membership.save()
            GovernanceMembership.history.filter(id=membership.pk).update(
                external_name=membership.external_name, external_job_title="", external_email="", external_phone=""
            )
            count += 1
    return count
