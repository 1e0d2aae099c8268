"""check_staff_rows: every row checked against the file (cells.py) and then the portal (here), each problem
reported against the column that is wrong; and for a good row, what importing it would change."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from partners.models import Organisation

from ..models import User
from .cells import CELL_RULES, FileCheck
from .columns import COLUMN_LABELS, COLUMN_OF, ROW_PROBLEM, RowResult, _chunks
from .portal import (
    _accounts_administrators_manage,
    _existing_people,
    _loop_text,
    _Manager,
    _manager_loops,
    _managers,
    _refuse_privileged_changes,
    _roles_held_for,
)

ADMINISTRATORS_MANAGE = (
    "This email address has an account the portal's administrators manage, outside {organisation}. Ask an "
    "administrator to add the person to {organisation}."
)


@dataclass
class PortalCheck:
    """What the portal says about the file's people, read in a few queries once every row's cells are checked."""

    organisation: Organisation | None
    organisation_names: dict[int, str]
    emails_in_file: set[str]
    managers: dict[str, _Manager]
    manager_of_id: dict[int, str] = field(default_factory=dict)  # person id -> their email, for line managers
    managed_by_administrators: set[int] = field(default_factory=set)


def _shown(value, key: str, organisation_names: dict) -> str:
    """A value as the preview shows it in "what changes"."""
    if value in (None, ""):
        return "(empty)"
    if key == "organisation_id":
        return organisation_names.get(value, str(value))
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return str(value)


def _organisations_by_name() -> dict[str, Organisation]:
    organisations = {}
    for org in Organisation.objects.only("pk", "name", "slug", "is_active").order_by("is_active", "pk"):
        organisations[org.name.strip().lower()] = org  # active ones last: they win a clash of names
        organisations[org.slug] = org
    return organisations


def _check_cells(result: RowResult, check: FileCheck) -> bool:
    """Run the cell rules on one row; False when its cells are not where the header says (checking them would
    blame the wrong columns), so it is reported as out of shape and checked no further."""
    problem = result.values.pop(ROW_PROBLEM, None)
    if problem:
        column, message = problem
        result.errors[column] = message
        return False
    for rule in CELL_RULES:
        rule(result, check)
    return True


def _manager_emails_by_id(managers: dict[str, _Manager], by_email: dict, by_ref: dict) -> dict[int, str]:
    """The email of everyone who is, or is named as, someone's line manager, by person id."""
    manager_of_id = {manager.pk: email for email, manager in managers.items()}
    for existing in by_email.values():
        manager_of_id.setdefault(existing["pk"], existing["email"].lower())
    missing_manager_ids = {
        row["profile__line_manager_id"] for row in [*by_email.values(), *by_ref.values()]
        if row["profile__line_manager_id"]
    } - set(manager_of_id)  # fmt: skip
    for chunk in _chunks(sorted(missing_manager_ids)):
        for pk, email in User.objects.filter(pk__in=chunk).values_list("pk", "email"):
            manager_of_id[pk] = email.lower()
    return manager_of_id


def _identify(results: list[RowResult], by_email: dict, by_ref: dict) -> None:
    """Who each row is: by email, otherwise by HR reference within the row's organisation."""
    for result in results:
        clean = result.clean
        existing = by_email.get(clean["email"])
        if existing is None and clean["employee_ref"] and "organisation_id" in clean:
            existing = by_ref.get((clean["organisation_id"], clean["employee_ref"]))
        result.existing = existing


def _managed_by_administrators(results: list[RowResult], organisation: Organisation | None) -> set[int]:
    """A lead's file may not change the sign-in of an account the administrators manage."""
    email_changes = {
        r.existing["pk"] for r in results if r.existing is not None and r.clean["email"] != r.existing["email"].lower()
    }  # fmt: skip
    if organisation is None or not email_changes:
        return set()
    return _accounts_administrators_manage(email_changes) | {
        r.existing["pk"] for r in results
        if r.existing is not None and (r.existing["is_staff"] or r.existing["is_superuser"])
    }  # fmt: skip


def _flag_manager_loops(results: list[RowResult], in_shape: list[RowResult], managers: dict[str, _Manager]) -> None:
    for email, loop in _manager_loops(in_shape, managers).items():
        for result in results:
            if result.clean.get("email") == email and "line_manager_email" not in result.errors:
                result.errors["line_manager_email"] = (
                    f"Line managers would go round in a loop: {_loop_text(loop)}. Give someone in the loop a line "
                    "manager outside it, or none."
                )


def _existing_problem(result: RowResult, check: PortalCheck) -> str | None:
    """Why the row may not change the person it is about: they have left, or (a lead's file) the account is
    outside the lead's organisation or managed by administrators."""
    existing, clean, organisation = result.existing, result.clean, check.organisation
    name = f"{existing['first_name']} {existing['last_name']}".strip() or existing["email"]
    if not existing["is_active"]:
        return (f"{name} has left: their account is closed, so the import cannot change them. Ask an "
                "administrator to reinstate the account first, or take the row out of the file.")
    if organisation is None:
        return None
    if existing["profile__pk"] is None or existing["profile__organisation_id"] is None:
        return ADMINISTRATORS_MANAGE.format(organisation=organisation.name)
    if existing["profile__organisation_id"] != organisation.pk:
        return "This person is in another organisation in the portal. Ask an administrator to move them."
    if existing["pk"] in check.managed_by_administrators and clean["email"] != existing["email"].lower():
        return (f"The person with HR reference {clean['employee_ref']} has an account the portal's "
                "administrators manage, so an import cannot change its email address. Ask an administrator.")
    return None


def _existing_person(result: RowResult, check: PortalCheck) -> None:
    if result.existing is not None and "email" not in result.errors:
        problem = _existing_problem(result, check)
        if problem:
            result.errors["email"] = problem


def _inactive_organisation(result: RowResult, check: PortalCheck) -> None:
    clean, existing = result.clean, result.existing
    joins_inactive = existing is None or existing["profile__organisation_id"] != clean.get("organisation_id")
    if "inactive_organisation" in clean and "organisation" not in result.errors and joins_inactive:
        result.errors["organisation"] = (
            f"{clean['inactive_organisation']} is no longer active in the partnership, so no one can join it. "
            "Only the people already in it can stay."
        )


def _named_manager(result: RowResult, check: PortalCheck) -> None:
    """A line manager outside the file must be a current person of the portal (of the lead's organisation)."""
    existing, organisation = result.existing, check.organisation
    manager = result.clean["line_manager_email"]
    if not manager or "line_manager_email" in result.errors or manager in check.emails_in_file:
        return
    found = check.managers.get(manager)
    keeps = existing is not None and found is not None and existing["profile__line_manager_id"] == found.pk
    elsewhere = organisation is not None and found is not None and found.organisation_id != organisation.pk
    if elsewhere and not keeps:
        # A lead names line managers from their own organisation (or the file), as on the profile form;
        # the same words whether or not the address has an account elsewhere.
        found = None
    if found is None:
        where = "the portal" if organisation is None else organisation.name
        result.errors["line_manager_email"] = f"No one with the email “{manager}” is in this file or {where}."
    elif not found.active and (existing is None or existing["profile__line_manager_id"] != found.pk):
        result.errors["line_manager_email"] = (
            f"“{manager}” has left: their account is closed. Choose a current line manager, or leave the "
            "cell empty."
        )


PORTAL_RULES = [_existing_person, _inactive_organisation, _named_manager]


def _current(existing: dict, manager_of_id: dict[int, str]) -> dict:
    """The person as the portal holds them, keyed as a row's `clean` values are."""
    return {
        "email": existing["email"].lower(),
        "first_name": existing["first_name"],
        "last_name": existing["last_name"],
        "employee_ref": existing["profile__employee_ref"] or "",
        "organisation_id": existing["profile__organisation_id"],
        "job_title": existing["profile__job_title"],
        "workforce": existing["profile__workforce"],
        "service_tier": existing["profile__service_tier"],
        "cts_band": existing["profile__cts_band"],
        "line_manager_email": manager_of_id.get(existing["profile__line_manager_id"], ""),
        "employment": existing["profile__employment"],
        "hours": existing["profile__hours"],
        "start_date": existing["profile__start_date"],
    }


def _outcome(result: RowResult, check: PortalCheck) -> None:
    """New, updated (with what changes, in words) or unchanged: for a row without errors."""
    clean, existing = result.clean, result.existing
    clean["existing_pk"] = existing["pk"] if existing else None
    if existing is None:
        result.outcome = "new"
        return
    if existing["profile__pk"] is None:
        result.outcome = "updated"
        result.changes = ["profile"]
        result.change_notes = ["A staff profile"]
        return
    current = _current(existing, check.manager_of_id)
    names = check.organisation_names
    changed = [key for key in current if current[key] != clean[key]]
    result.changes = [COLUMN_OF.get(key, key) for key in changed]
    result.change_notes = [
        f"{COLUMN_LABELS[COLUMN_OF.get(key, key)]}: {_shown(current[key], key, names)} → "
        f"{_shown(clean[key], key, names)}"
        for key in changed
    ]
    result.outcome = "updated" if result.changes else "unchanged"


def _roles_to_end(results: list[RowResult], on: date) -> None:
    """Someone moved to another organisation stops holding the designated roles they held for the old one."""
    moved = {
        r.existing["pk"]: r.existing["profile__organisation_id"] for r in results
        if r.outcome == "updated" and r.existing["profile__organisation_id"] is not None
        and r.existing["profile__organisation_id"] != r.clean["organisation_id"]
    }  # fmt: skip
    if not moved:
        return
    held = _roles_held_for(moved, on=on)
    for result in results:
        roles = held.get(result.clean.get("existing_pk"), []) if result.outcome == "updated" else []
        if roles:
            result.clean["roles_to_end"] = [pk for pk, _label in roles]
            result.ends_roles = [label for _pk, label in roles]


def _portal_check(results: list[RowResult], in_shape: list[RowResult], file: FileCheck) -> PortalCheck:
    """Read what the portal holds about the file's people, and say who each row in shape is."""
    emails_in_file = {r.values["email"].strip().lower() for r in results if r.values["email"]}
    manager_emails = {r.values["line_manager_email"].strip().lower() for r in results if r.values["line_manager_email"]}
    by_email, by_ref = _existing_people(emails_in_file, file.refs)
    managers = _managers(manager_emails - emails_in_file)
    check = PortalCheck(
        organisation=file.organisation, emails_in_file=emails_in_file, managers=managers,
        organisation_names={org.pk: org.name for org in file.organisations.values()},
        manager_of_id=_manager_emails_by_id(managers, by_email, by_ref),
    )
    _identify(in_shape, by_email, by_ref)
    check.managed_by_administrators = _managed_by_administrators(results, file.organisation)
    return check


def check_staff_rows(
    rows: list[tuple[int, dict]], *, organisation: Organisation | None, on: date | None = None
) -> list[RowResult]:
    """Check every row against the file and the portal. `organisation`: the lead's organisation, when a lead
    imports (every row must be in it); None when an administrator imports (any organisation). `on`: today."""
    on = on or timezone.localdate()
    file = FileCheck(organisation=organisation, on=on, organisations=_organisations_by_name())
    results = [RowResult(line=line, values=values) for line, values in rows]
    in_shape = [result for result in results if _check_cells(result, file)]
    check = _portal_check(results, in_shape, file)
    _flag_manager_loops(results, in_shape, check.managers)
    for result in in_shape:
        for rule in PORTAL_RULES:
            rule(result, check)
        if not result.errors:
            _outcome(result, check)
    if organisation is not None:
        _refuse_privileged_changes(results)
    _roles_to_end(results, on)
    for result in results:
        result.existing = None  # done with: 25,000 of them would hold tens of MB through the confirm's writes
    return results
