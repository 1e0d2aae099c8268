"""Writes about people: accounts and profiles. Also the one way the portal sends email."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.caching import cache_namespace_bump
from core.history import history_note, history_skipped
from core.outbox import outbox_add
from core.personal_data import Redact
from core.roles import Role, has_role
from partners.models import Organisation

from .models import DesignatedRole, ImportBatch, StaffProfile, User
from .permissions import is_privileged_account
from .selectors import (
    FIGURES_NAMESPACE,
    designated_role_overlap_message,
    designated_roles_held_for,
    designated_roles_overlapping,
)
from .signals import people_bulk_changed
from .staff_import import COLUMN_NAMES, StaffFileError, check_staff_rows, read_staff_file  # noqa: F401 - views use them

if TYPE_CHECKING:
    from .staff_import import RowResult

M = TypeVar("M", bound=models.Model)


def email_send_on_commit(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    cc: Iterable[str] = (),
    attachments: Iterable[tuple[str, str, str]] = (),
) -> None:
    """Render an email now and put it in the outbox (core/outbox.py): sent once the transaction commits,
    never for a rolled-back change. attachments: (filename, text, mimetype)."""
    payload = {
        "to": sorted(set(to)),
        "cc": sorted(set(cc) - set(to)),
        "subject": subject,
        "text": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
        "attachments": [list(item) for item in attachments],
    }
    if not payload["to"]:
        return
    outbox_add("workforce.tasks.email_send", payload)


def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    roles: Iterable[Role] = (),
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
        user_roles_set(user=user, roles=roles)
    return user


def user_roles_set(*, user: User, roles: Iterable[Role]) -> None:
    """Make the user's groups exactly the given roles."""
    roles = set(roles)
    is_staff = Role.ADMINISTRATOR in roles or user.is_superuser
    if set(user.groups.values_list("name", flat=True)) == {role.value for role in roles} and user.is_staff == is_staff:
        return  # nothing changes, so nothing is written (and no history record)
    # One history record for the change of roles (written by the save below), not one per group added.
    with history_skipped(user):
        user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
    user.is_staff = is_staff
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_roles_cache"):
        del user._roles_cache


def user_account_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user


def person_leave(*, person: User, left_on: date, by: User | None) -> User:
    """Record that a person left: their account is closed (no sign-in) and they drop out of current
    headcounts and compliance; what they booked and completed stays. Their leaving date starts the
    retention period for leavers' accounts (docs/privacy.md)."""
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        person.is_active = False
        person.left_on = person.left_on or left_on
        history_note(person, by=by, reason="Recorded as a leaver")
        person.save(update_fields=["is_active", "left_on"])
    return person


# --- Profiles and designated roles ------------------------------------------------------------------


class PeopleError(Exception):
    """A change to people that the rules do not allow; the message is shown to the user."""


PROFILE_FIELDS = [
    "organisation", "job_title", "workforce", "service_tier", "cts_band", "line_manager", "employment", "hours",
    "start_date",
]  # fmt: skip


def staff_profile_update(*, person: User, by: User, **values: Any) -> StaffProfile:
    """Create or update a person's staff profile (PROFILE_FIELDS). A move of organisation ends the lead
    and the designated roles held for the old one; `ended_roles` lists them (docs/workforce.md)."""
    _refuse_privileged(person=person, by=by)
    allowed = set(PROFILE_FIELDS) | {"employee_ref", "is_organisation_lead"}
    unknown = set(values) - allowed
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    manager = values.get("line_manager")
    if manager is not None and manager.pk == person.pk:
        raise PeopleError("A person cannot be their own line manager.")
    with transaction.atomic():
        profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=person)
        if manager is not None and manager.pk != profile.line_manager_id:
            _refuse_manager_loop(person=person, manager=manager)
        old_organisation = profile.organisation
        moved = "organisation" in values and values["organisation"] != old_organisation
        if moved and "is_organisation_lead" not in values:
            # Leading is leading one organisation: someone who moves (e.g. a lead changing their own
            # profile) leaves the lead behind; only an administrator, who sets it explicitly, keeps it.
            values["is_organisation_lead"] = False
        for name, value in values.items():
            setattr(profile, name, value)
        profile.full_clean(exclude=["user"])
        history_note(profile, by=by)
        profile.save()
        ended: list[DesignatedRole] = []
        if moved and old_organisation is not None:
            ended = _designated_roles_end_for_move(
                list(designated_roles_held_for(person=person, organisation=old_organisation, on=timezone.localdate())),
                on=timezone.localdate(), by=by, reason=f"Moved to {profile.organisation}",
            )  # fmt: skip
    profile.ended_roles = ended
    return profile


def _refuse_privileged(*, person: User, by: User) -> None:
    """Privileged accounts (workforce.permissions.privileged_account_ids) are changed only by administrators."""
    if by.pk != person.pk and not has_role(by, Role.ADMINISTRATOR) and is_privileged_account(person):
        raise PeopleError(f"{person}'s account is one only administrators change. Ask an administrator.")


def _refuse_manager_loop(*, person: User, manager: User) -> None:
    """A line manager may not report, directly or through others, to the person they would manage."""
    chain, seen, current = [manager], {manager.pk}, manager.pk
    while True:
        above = StaffProfile.objects.filter(user_id=current).values_list("line_manager_id", flat=True).first()
        if above is None or above in seen:
            return
        if above == person.pk:
            names = " → ".join(str(someone) for someone in [person, *chain, person])
            raise PeopleError(
                f"{manager} reports to {person}, directly or through others, so cannot be their line manager "
                f"({names})."
            )
        seen.add(above)
        chain.append(User.objects.get(pk=above))
        current = above


def _designated_roles_end_for_move(
    roles: list[DesignatedRole], *, on: date, by: User, reason: str
) -> list[DesignatedRole]:
    """Someone moved organisation on `on`: these roles (held for the old one) end, their last day the day
    before, so from the move on the old organisation shows the gap; roles that had not started by then are
    removed. Both are recorded in the roles' history. Returns the roles."""
    last_day = on - timedelta(days=1)
    ending = [role for role in roles if role.start_date <= last_day]
    for role in ending:
        role.end_date = last_day
    DesignatedRole.objects.bulk_update(ending, ["end_date"], batch_size=1000)
    DesignatedRole.history.bulk_history_create(
        ending, batch_size=1000, update=True, default_user=by, default_change_reason=reason
    )
    for role in roles:
        if role.start_date > last_day:
            history_note(role, by=by, reason=reason)
            role.delete()
    if roles:
        cache_namespace_bump(FIGURES_NAMESPACE)  # bulk writes send no signals
    return roles


def designated_role_add(
    *, person: User, kind: str, organisation: Organisation, start_date: date, end_date: date | None = None,
    notes: str = "", by: User,
) -> DesignatedRole:
    _refuse_privileged(person=person, by=by)
    if end_date is not None and end_date < start_date:
        raise PeopleError("The end date must be on or after the start date.")
    with transaction.atomic():
        if designated_roles_overlapping(
            person=person, kind=kind, organisation=organisation, start_date=start_date, end_date=end_date
        ).exists():
            raise PeopleError(designated_role_overlap_message(person=person, organisation=organisation))
        role = DesignatedRole(
            person=person, kind=kind, organisation=organisation, start_date=start_date, end_date=end_date, notes=notes
        )
        history_note(role, by=by)
        role.save()
    return role


def designated_role_end(*, role: DesignatedRole, end_date: date, by: User) -> DesignatedRole:
    _refuse_privileged(person=role.person, by=by)
    if end_date < role.start_date:
        raise PeopleError(f"The end date must be on or after the start date ({role.start_date:%d %B %Y}).")
    with transaction.atomic():
        role.end_date = end_date
        history_note(role, by=by)
        role.save(update_fields=["end_date"])
    return role


# --- Staff import -----------------------------------------------------------------------------------


class StaffImportError(Exception):
    """The import cannot go ahead; the message says why."""


@dataclass(kw_only=True)
class StaffImportPreview:
    batch: ImportBatch | None  # saved only when every row is valid (waiting for confirmation)
    results: list["RowResult"]  # in file order
    counts: dict[str, int]

    @property
    def is_valid(self) -> bool:
        return self.batch is not None


def _counts(results: list["RowResult"]) -> dict[str, int]:
    counts = {"new": 0, "updated": 0, "unchanged": 0, "bad": 0, "total": len(results)}
    for result in results:
        counts[result.outcome or "bad"] += 1
    return counts


def staff_import_preview(*, name: str, data: bytes, by: User, organisation: Organisation | None) -> StaffImportPreview:
    """Read and check a staff file, writing nothing about people; only a wholly valid file is kept as an
    ImportBatch for `staff_import_confirm`. Raises StaffFileError for an unreadable file."""
    rows = read_staff_file(name=name, data=data)
    results = check_staff_rows(rows, organisation=organisation)
    counts = _counts(results)
    if counts["bad"]:
        return StaffImportPreview(batch=None, results=results, counts=counts)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            uploaded_by=by,
            organisation=organisation,
            filename=name[:255],
            status=ImportBatch.Status.PREVIEWED,
            rows=[result.as_json() for result in results],
            summary=counts,
        )
    return StaffImportPreview(batch=batch, results=results, counts=counts)


def staff_import_results(*, batch: ImportBatch) -> list["RowResult"]:
    """The batch's rows checked again against the portal as it is now."""
    rows = [(row["line"], row["values"]) for row in batch.rows]
    return check_staff_rows(rows, organisation=batch.organisation)


def staff_import_confirm(*, batch: ImportBatch, by: User) -> dict[str, int]:
    """Apply a previewed import in one transaction, checked again first: if any row became invalid or
    would now do other than the preview showed, nothing is written (docs/workforce.md)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise StaffImportError("This import has already been confirmed.")
        results = staff_import_results(batch=batch)
        counts = _counts(results)
        if counts["bad"]:
            raise StaffImportError(
                "Something in the portal changed since the preview and some rows are no longer valid. "
                "Upload the file again to see why."
            )
        shown = [(row["outcome"], row["change_notes"], row.get("ends_roles", [])) for row in batch.rows]
        now = [(result.outcome, result.change_notes, result.ends_roles) for result in results]
        differ = sum(1 for before, after in zip(shown, now, strict=True) if before != after)
        if differ:
            rows = "1 row" if differ == 1 else f"{differ} rows"
            raise StaffImportError(
                f"Something in the portal changed since the preview: {rows} would now change something other than "
                "the preview showed. Nothing has been imported. Upload the file again to check the changes."
            )
        _staff_rows_apply(
            [r for r in results if r.outcome in ("new", "updated")], by=by, reason=f"Imported from {batch.filename}"
        )
        counts["roles_ended"] = sum(len(r.clean.get("roles_to_end", [])) for r in results)
        batch.status = ImportBatch.Status.CONFIRMED
        batch.confirmed_at = timezone.now()
        batch.summary = counts
        batch.save(update_fields=["status", "confirmed_at", "summary"])
    return counts


def _staff_rows_apply(results: list["RowResult"], *, by: User, reason: str) -> None:
    """Bulk writes for the import (25,000 rows in seconds). Managers are set last, because a manager can be a
    new person further down the file. Profile history records who imported and from which file."""
    new = [r for r in results if r.clean["existing_pk"] is None]
    changed = [r for r in results if r.clean["existing_pk"] is not None]
    unusable = make_password(None)

    users = User.objects.bulk_create(
        [
            User(email=r.clean["email"], first_name=r.clean["first_name"], last_name=r.clean["last_name"],
                 password=unusable)
            for r in new
        ],  # fmt: skip
        batch_size=1000,
    )
    for result, user in zip(new, users, strict=True):
        result.clean["existing_pk"] = user.pk
    User.history.bulk_history_create(users, batch_size=1000, default_user=by, default_change_reason=reason)
    practitioner, _ = Group.objects.get_or_create(name=Role.PRACTITIONER.value)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=practitioner.pk) for user in users], batch_size=1000
    )

    changed_users = {r.clean["existing_pk"]: r for r in changed}
    to_update = []
    for user in _in_chunks(User.objects.all(), list(changed_users)):
        clean = changed_users[user.pk].clean
        user.email, user.first_name, user.last_name = clean["email"], clean["first_name"], clean["last_name"]
        to_update.append(user)
    User.objects.bulk_update(to_update, ["email", "first_name", "last_name"], batch_size=1000)
    User.history.bulk_history_create(
        to_update, batch_size=1000, update=True, default_user=by, default_change_reason=reason
    )

    ids_by_email = {r.clean["email"]: r.clean["existing_pk"] for r in results}
    manager_emails = {r.clean["line_manager_email"] for r in results if r.clean["line_manager_email"]}
    missing = sorted(manager_emails - set(ids_by_email))
    for start in range(0, len(missing), 500):
        for pk, email in User.objects.filter(email__in=missing[start : start + 500]).values_list("pk", "email"):
            ids_by_email[email.lower()] = pk

    profiles = {p.user_id: p for p in _in_chunks(StaffProfile.objects.all(), [r.clean["existing_pk"] for r in results],
                                                 field="user_id")}  # fmt: skip
    create: list[StaffProfile] = []
    update: list[StaffProfile] = []
    for result in results:
        clean = result.clean
        profile = profiles.get(clean["existing_pk"]) or StaffProfile(user_id=clean["existing_pk"])
        if profile.organisation_id != clean["organisation_id"]:
            profile.is_organisation_lead = False  # a lead moved by the file does not lead the new organisation
        profile.organisation_id = clean["organisation_id"]
        profile.employee_ref = clean["employee_ref"]
        profile.job_title = clean["job_title"]
        profile.workforce = clean["workforce"]
        profile.service_tier = clean["service_tier"]
        profile.cts_band = clean["cts_band"]
        profile.employment = clean["employment"]
        profile.hours = clean["hours"]
        profile.start_date = clean["start_date"]
        manager = clean["line_manager_email"]
        profile.line_manager_id = ids_by_email.get(manager) if manager else None
        (update if profile.pk else create).append(profile)
    StaffProfile.objects.bulk_create(create, batch_size=1000)
    StaffProfile.objects.bulk_update(
        update,
        ["organisation_id", "employee_ref", "job_title", "workforce", "service_tier", "cts_band", "employment",
         "hours", "start_date", "line_manager_id", "is_organisation_lead"],  # fmt: skip
        batch_size=1000,
    )
    for profiles_written, is_update in ((create, False), (update, True)):
        StaffProfile.history.bulk_history_create(
            profiles_written, batch_size=1000, update=is_update, default_user=by, default_change_reason=reason
        )
    role_ids = [pk for r in results for pk in r.clean.get("roles_to_end", [])]
    if role_ids:  # people the file moved to another organisation: their roles for the old one end (the preview said)
        _designated_roles_end_for_move(
            list(_in_chunks(DesignatedRole.objects.all(), role_ids)), on=timezone.localdate(), by=by,
            reason=f"{reason}: moved to another organisation",
        )  # fmt: skip
    # Bulk writes send no model signals: the dashboard's figures, and what other apps cache of people, are stale.
    cache_namespace_bump(FIGURES_NAMESPACE)
    people_bulk_changed.send(sender=User)


def _in_chunks(queryset: models.QuerySet[M], values: list[Any], *, field: str = "pk", size: int = 500) -> Iterator[M]:
    for start in range(0, len(values), size):
        yield from queryset.filter(**{f"{field}__in": values[start : start + size]})


# --- Anonymising (the privacy app calls this; docs/privacy.md) ----------------------------------------


def personal_data_anonymise(*, person: User, redact: Redact, by: User | None) -> dict[str, int]:
    """Remove the person's name and contact details from workforce's tables and history, keeping every row
    figures count. The caller holds the transaction (docs/privacy.md)."""
    done: dict[str, int] = {}
    person = User.objects.select_for_update().get(pk=person.pk)
    person.first_name, person.last_name = redact.first_name, redact.last_name
    person.email, person.phone = redact.email, ""
    person.set_unusable_password()
    person.is_active = person.is_staff = person.is_superuser = False
    person.left_on = person.left_on or timezone.localdate()
    person.anonymised_at = timezone.now()
    with history_skipped(person):
        person.groups.clear()
        person.user_permissions.clear()
        person.save()
        done["accounts"] = 1
        # The history keeps the fact and date of each change, with the personal values replaced.
        done["account history"] = User.history.filter(id=person.pk).update(
            first_name=redact.first_name, last_name=redact.last_name, email=redact.email, phone=""
        )
    history_note(person, by=by, reason="Anonymised")
    person.save(update_fields=["anonymised_at"])  # one last history record: "Anonymised", by whom
    profile_values = {"employee_ref": "", "job_title": ""}
    done["staff profiles"] = StaffProfile.objects.filter(user=person).update(**profile_values)
    done["staff profile history"] = StaffProfile.history.filter(user_id=person.pk).update(**profile_values)
    done["designated role notes"] = redact.rewrite(DesignatedRole.objects.all(), ["notes"]) + redact.rewrite(
        DesignatedRole.history.all(), ["notes"]
    )
    done["staff imports"] = _import_rows_anonymise(redact=redact)
    done["staff imports"] += redact.rewrite_json(ImportBatch.objects.all(), ["rows"])
    return done


def _import_rows_anonymise(*, redact: Redact) -> int:
    """Rows of staff files that were about the person: their own columns become the placeholder's."""
    from .selectors import import_batches_naming

    placeholder = {"email": redact.email, "first_name": redact.first_name, "last_name": redact.last_name,
                   "employee_ref": "", "phone": "", "job_title": ""}  # fmt: skip
    batches = []
    for batch in import_batches_naming(emails=set(redact.emails)):
        for row in batch.rows:
            values = row.get("values", {})
            if str(values.get("email", "")).lower() in redact.emails:
                values.update({key: value for key, value in placeholder.items() if key in values})
                row["changes"] = redact.json(row.get("changes", []))
        batches.append(batch)
    ImportBatch.objects.bulk_update(batches, ["rows"])
    return len(batches)


def import_batches_clear(*, created_before: datetime) -> int:
    """Retention: the rows of staff files uploaded before the cut-off are emptied (who uploaded what, when,
    and the counts stay); files never confirmed are deleted."""
    with transaction.atomic():
        old = ImportBatch.objects.filter(created_at__lt=created_before)
        deleted, _ = old.exclude(status=ImportBatch.Status.CONFIRMED).delete()
        cleared = old.exclude(rows=[]).update(rows=[])
    return deleted + cleared
