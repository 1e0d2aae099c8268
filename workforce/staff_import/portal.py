"""What the portal already knows about a file's people: who they are, their line managers, the accounts only
administrators change, the loops line managers would form, and the designated roles a move ends."""

from datetime import date
from typing import NamedTuple

from django.db.models import Q

from core.roles import Role

from ..models import DesignatedRole, StaffProfile, User
from .columns import RowResult, _chunks


def _existing_people(emails: set[str], refs: set[tuple[int, str]]) -> tuple[dict, dict]:
    """Existing people by lower-cased email, and by (organisation id, HR reference)."""
    fields = [
        "pk", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "profile__employee_ref",
        "profile__organisation_id", "profile__job_title", "profile__workforce", "profile__service_tier",
        "profile__cts_band", "profile__line_manager_id", "profile__employment", "profile__hours",
        "profile__start_date", "profile__pk",
    ]  # fmt: skip
    by_email, by_ref = {}, {}
    for chunk in _chunks(sorted(emails)):
        for row in User.objects.filter(email__in=chunk).values(*fields):
            by_email[row["email"].lower()] = row
    ref_values = sorted({ref for _org, ref in refs})
    for chunk in _chunks(ref_values):
        for row in User.objects.filter(profile__employee_ref__in=chunk).values(*fields):
            by_ref[(row["profile__organisation_id"], row["profile__employee_ref"])] = row
    return by_email, by_ref


class _Manager(NamedTuple):
    pk: int
    active: bool  # a leaver's account is closed
    organisation_id: int | None


def _managers(emails: set[str]) -> dict[str, _Manager]:
    """People named as line managers, by lower-cased email. Leavers too: someone already managed by a leaver may
    keep them (the export writes them), a new link may not."""
    found = {}
    for chunk in _chunks(sorted(emails)):
        for pk, email, active, org_id in User.objects.filter(email__in=chunk).values_list(
                "pk", "email", "is_active", "profile__organisation_id"):  # fmt: skip
            found[email.lower()] = _Manager(pk, active, org_id)
    return found


# A lead's import may change the email address (the sign-in) only of accounts that hold nothing but these roles:
# anyone else's account is the administrators' to change, or a lead could take it over by a password reset.
LEAD_MAY_CHANGE_EMAIL_OF = {Role.PRACTITIONER.value, Role.LINE_MANAGER.value}


def _accounts_administrators_manage(pks: set[int]) -> set[int]:
    """Of these accounts, those holding a role other than Practitioner or Line manager."""
    found = set()
    through = User.groups.through.objects
    for chunk in _chunks(sorted(pks)):
        found |= set(
            through.filter(user_id__in=chunk).exclude(group__name__in=LEAD_MAY_CHANGE_EMAIL_OF)
            .values_list("user_id", flat=True)
        )  # fmt: skip
    return found


PRIVILEGED_ACCOUNT = (
    "This is an account only administrators change (an administrator, a training coordinator or someone who "
    "signs in with two-factor): the import cannot change it. Take the row out of the file or ask an administrator."
)


def _refuse_privileged_changes(results: list) -> None:
    """A lead's file may change nothing of a privileged account (workforce.permissions.privileged_account_ids);
    an unchanged row (a re-imported export) stays harmless."""
    from ..permissions import privileged_account_ids

    updated = {r.existing["pk"]: r for r in results if r.outcome == "updated"}
    for pk in privileged_account_ids(updated):
        result = updated[pk]
        result.errors["email"] = PRIVILEGED_ACCOUNT
        result.outcome, result.changes, result.change_notes = "", [], []


def _file_edges(results: list[RowResult]) -> tuple[dict[str, str | None], dict[int, str]]:
    """Who manages whom once the file is applied (by email), and the email the file gives each known person."""
    edges: dict[str, str | None] = {}
    node_of_pk: dict[int, str] = {}
    for result in results:
        email = result.clean.get("email")
        if email and "email" not in result.errors:
            edges[email] = result.clean.get("line_manager_email") or None
            if result.existing is not None:
                node_of_pk[result.existing["pk"]] = email
    return edges, node_of_pk


def _walk_up_portal(edges: dict[str, str | None], node_of_pk: dict[int, str], managers: dict[str, _Manager]) -> None:
    """Add to `edges` the portal's line managers of the managers outside the file, one query a level."""
    pk_of = {email: manager.pk for email, manager in managers.items()}
    frontier = {manager for manager in edges.values() if manager and manager not in edges}
    while frontier:
        ids = {pk_of[email]: email for email in frontier if email in pk_of}
        for email in frontier:
            edges[email] = None
        frontier = set()
        for chunk in _chunks(sorted(ids)):
            rows = StaffProfile.objects.filter(user_id__in=chunk, line_manager__isnull=False).values_list(
                "user_id", "line_manager_id", "line_manager__email"
            )
            for user_id, manager_id, manager_email in rows:
                node = node_of_pk.get(manager_id) or manager_email.lower()
                edges[ids[user_id]] = node
                if node not in edges:
                    frontier.add(node)
                    pk_of[node] = manager_id


def _loops_in(edges: dict[str, str | None]) -> dict[str, list[str]]:
    """Each person on a loop of two or more, with the loop from them (someone as their own manager has a
    message of its own)."""
    walked: dict[str, str] = {}
    loops: dict[str, list[str]] = {}
    for start in edges:
        path, node = [], start
        while node is not None and node not in walked:
            walked[node] = start
            path.append(node)
            node = edges.get(node)
        if node is not None and walked[node] == start:  # this walk came back to itself
            loop = path[path.index(node):]
            if len(loop) > 1:
                for index, email in enumerate(loop):
                    loops[email] = loop[index:] + loop[:index]
    return loops


def _manager_loops(results: list[RowResult], managers: dict[str, _Manager]) -> dict[str, list[str]]:
    """People (by email) whose chain of line managers comes back to them, once the file is applied: the file's
    rows say who manages whom, the portal says it for people outside the file. Each with the loop, from them."""
    edges, node_of_pk = _file_edges(results)
    _walk_up_portal(edges, node_of_pk, managers)
    return _loops_in(edges)


def _loop_text(loop: list[str], most: int = 6) -> str:
    shown = loop if len(loop) <= most else [*loop[:most], "…"]
    return " → ".join([*shown, loop[0]])


def _roles_held_for(people: dict[int, int], *, on: date) -> dict[int, list[tuple[int, str]]]:
    """people: {person id: organisation id}. The designated roles each holds for that organisation that have
    not ended by `on` (current or still to start), as (role id, "Kind in Organisation")."""
    found: dict[int, list[tuple[int, str]]] = {}
    for chunk in _chunks(sorted(people)):
        rows = (
            DesignatedRole.objects.filter(person_id__in=chunk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
            .values_list("pk", "person_id", "organisation_id", "kind", "organisation__name")
            .order_by("person_id", "kind", "pk")
        )
        for pk, person_id, organisation_id, kind, organisation_name in rows:
            if people[person_id] == organisation_id:
                label = f"{DesignatedRole.Kind(kind).label} in {organisation_name}"
                found.setdefault(person_id, []).append((pk, label))
    return found
