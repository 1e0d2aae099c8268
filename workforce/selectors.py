"""Reads about people, scoped to who is asking; training and actions build on them, so keep them stable.
A "person" is a User with profile, organisation, sector and line manager loaded (docs/workforce.md)."""

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django.db.models import Count, Exists, Field, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from core.caching import cached_in
from core.roles import Role, has_role
from partners.models import Organisation, Sector

from .models import CTS_BANDS, DesignatedRole, ImportBatch, StaffProfile, User
from .permissions import Viewer, led_organisation_id


def people() -> QuerySet[User]:
    """Every active person with a staff profile, with what a list of people shows loaded."""
    return (
        User.objects.filter(is_active=True, profile__isnull=False)
        .select_related("profile__organisation__sector", "profile__line_manager")
        .order_by("last_name", "first_name", "email")
    )


def people_matching(*, who: str, limit: int = 6) -> list[User]:
    """People an email (exactly, any case) or the words of a name (each in the first or last name) find, at
    most `limit`: the caller says what to do when there are none or several."""
    who = who.replace("\x00", "").strip()
    if not who:
        return []
    if "@" in who:
        found = list(people().filter(email__iexact=who)[:1])
        if found:
            return found
    matches = people()
    for word in who.split():
        matches = matches.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(matches[:limit])


def people_visible_to(*, user: Viewer) -> QuerySet[User]:
    """The people whose details (email, phone, profile, designated roles) `user` may see."""
    if not getattr(user, "is_authenticated", False):
        return User.objects.none()
    if has_role(user, Role.ADMINISTRATOR):
        return people()
    scope = Q(pk=user.pk)
    org_id = led_organisation_id(user)
    if org_id is not None:
        scope |= Q(profile__organisation_id=org_id)
    scope |= Q(profile__line_manager=user)
    return people().filter(scope)


def team_of(*, manager: User) -> QuerySet[User]:
    """The manager's direct reports (people whose profile names them as line manager)."""
    return people().filter(profile__line_manager=manager)


def organisation_people(*, organisation: Organisation) -> QuerySet[User]:
    """Everyone whose staff profile is in the organisation."""
    return people().filter(profile__organisation=organisation)


def directory_people(*, search: str = "", organisation: Organisation | None = None) -> QuerySet[User]:
    """The partnership directory: every active person, searchable by name or job title. Views show only
    names, job titles and organisations from it."""
    qs = people()
    if search:
        for word in search.split():
            qs = qs.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(profile__job_title__icontains=word)
            )
    if organisation is not None:
        qs = qs.filter(profile__organisation=organisation)
    return qs


def designated_roles_of(*, person: User) -> QuerySet[DesignatedRole]:
    return DesignatedRole.objects.filter(person=person).select_related("organisation").order_by("-start_date")


def designated_roles_overlapping(
    *, person: User, kind: str, organisation: Organisation, start_date: date, end_date: date | None,
    exclude_pk: int | None = None,
) -> QuerySet[DesignatedRole]:
    """Roles of the same person, kind and organisation whose dates overlap these (a second one is refused, in
    the portal and in the Django admin alike)."""
    overlapping = DesignatedRole.objects.filter(person=person, kind=kind, organisation=organisation).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping


def designated_role_overlap_message(*, person: User, organisation: Organisation) -> str:
    return f"{person} already holds this role in {organisation} for some of those dates."


def designated_roles_held_for(*, person: User, organisation: Organisation, on: date) -> QuerySet[DesignatedRole]:
    """The person's designated roles for the organisation that have not ended by `on` (current, or to come)."""
    return (
        DesignatedRole.objects.filter(person=person, organisation=organisation)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("organisation")
        .order_by("kind", "start_date")
    )


def designated_roles_current(*, on: date, visible_to: Viewer) -> QuerySet[DesignatedRole]:
    """Designated roles held on a day, of people `visible_to` may see."""
    return (
        DesignatedRole.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(person__in=people_visible_to(user=visible_to).values("pk"))
        .select_related("person", "organisation__sector")
        .order_by("organisation__name", "kind", "person__last_name")
    )


def organisations_without_role(
    *, kind: str, on: date, sector: Sector | None = None, org_type: str = ""
) -> QuerySet[Organisation]:
    """The gap report: active organisations where nobody with an active account holds `kind` on the day (e.g.
    early-years settings without a current Designated Safeguarding Officer)."""
    held = DesignatedRole.objects.filter(
        organisation=OuterRef("pk"), kind=kind, start_date__lte=on, person__is_active=True
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    qs = Organisation.objects.filter(is_active=True).exclude(Exists(held)).select_related("sector")
    if sector is not None:
        qs = qs.filter(sector=sector)
    if org_type:
        qs = qs.filter(org_type=org_type)
    return qs.annotate(staff_count=Count("staff", filter=Q(staff__user__is_active=True))).order_by(
        "sector__order", "name"
    )


# --- The workforce dashboard: a handful of aggregate queries, whatever the number of people ------------


FIGURES_NAMESPACE = "workforce:figures"  # made stale by workforce.receivers when people or organisations change


def workforce_figures(*, organisation: Organisation | None = None, on: date) -> dict[str, Any]:
    """Headcounts for the dashboard (the whole partnership, or one organisation), kept in the cache until a
    person, profile, designated role, organisation or sector changes."""
    key = f"workforce:figures:{organisation.pk if organisation else 'all'}:{on.isoformat()}"
    figures: dict[str, Any] = cached_in(
        FIGURES_NAMESPACE, key, lambda: _workforce_figures(organisation=organisation, on=on)
    )
    return figures


def _workforce_figures(*, organisation: Organisation | None, on: date) -> dict[str, Any]:
    """Six queries over the profiles. Like the gap report and the partnership's pages, only active
    organisations count: their people, and the roles held for them."""
    profiles = StaffProfile.objects.filter(user__is_active=True).filter(
        Q(organisation__isnull=True) | Q(organisation__is_active=True)
    )
    # A role counts while its holder's account is active: someone who has left holds nothing.
    roles = DesignatedRole.objects.filter(
        start_date__lte=on, person__is_active=True, organisation__is_active=True
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    organisations = Organisation.objects.filter(is_active=True)
    if organisation is not None:
        profiles = profiles.filter(organisation=organisation)
        roles = roles.filter(organisation=organisation)
        organisations = organisations.filter(pk=organisation.pk)

    # 1. Everything that is a count of profiles by one field, in one pass.
    aggregates = {"total": Count("pk")}
    for value, _label in StaffProfile.Workforce.choices:
        aggregates[f"workforce_{value}"] = Count("pk", filter=Q(workforce=value))
    for value, _label in StaffProfile.ServiceTier.choices:
        aggregates[f"tier_{value}"] = Count("pk", filter=Q(service_tier=value))
    for value, _label in StaffProfile.Employment.choices:
        aggregates[f"employment_{value}"] = Count("pk", filter=Q(employment=value))
    for value, _label in StaffProfile.Hours.choices:
        aggregates[f"hours_{value}"] = Count("pk", filter=Q(hours=value))
    totals = profiles.aggregate(**aggregates)
    # 2. Bands (any band a profile holds, not only the standard's, so nothing goes uncounted).
    by_band = dict(profiles.values_list("cts_band").annotate(n=Count("pk")).order_by("cts_band"))
    # 3. Sectors and 4. organisations.
    by_sector = list(
        profiles.values_list("organisation__sector__name")
        .annotate(n=Count("pk"))
        .order_by("organisation__sector__order", "organisation__sector__name")
    )
    by_organisation = list(
        profiles.values_list("organisation__name").annotate(n=Count("pk")).order_by("-n", "organisation__name")
    )
    # 5. Designated roles: holders, and organisations covered, per kind.
    role_rows = {
        kind: (holders, orgs)
        for kind, holders, orgs in roles.values_list("kind")
        .annotate(holders=Count("person", distinct=True), orgs=Count("organisation", distinct=True))
        .order_by("kind")
    }
    organisation_count = organisations.count()

    def rows(prefix: str, choices: Iterable[tuple[Any, str]]) -> list[tuple[str, int]]:
        return [(label.split(" (")[0], totals[f"{prefix}_{value}"]) for value, label in choices]

    bands = sorted(set(CTS_BANDS) | set(by_band))
    return {
        "token": uuid.uuid4().hex,  # new whenever the figures are counted again: keys the rendered dashboard
        "total": totals["total"],
        "organisation_count": organisation_count,
        "by_sector": [(name or "No organisation", n) for name, n in by_sector],
        "by_organisation": [(name or "No organisation", n) for name, n in by_organisation],
        "by_workforce": rows("workforce", StaffProfile.Workforce.choices),
        "by_tier": rows("tier", StaffProfile.ServiceTier.choices),
        "by_employment": rows("employment", StaffProfile.Employment.choices),
        "by_hours": rows("hours", StaffProfile.Hours.choices),
        "by_band": [(f"Band {band}", by_band.get(band, 0)) for band in bands],
        "roles": [
            {
                "label": label,
                "holders": role_rows.get(kind, (0, 0))[0],
                "organisations": role_rows.get(kind, (0, 0))[1],
                "without": organisation_count - role_rows.get(kind, (0, 0))[1],
            }
            for kind, label in DesignatedRole.Kind.choices
        ],
    }


# --- History: who changed what about a person, and when ------------------------------------------------

HISTORY_FIELDS = [
    "organisation", "job_title", "employee_ref", "workforce", "service_tier", "cts_band", "line_manager",
    "employment", "hours", "start_date", "is_organisation_lead",
]  # fmt: skip


def _field(name: str) -> "Field[Any, Any]":
    return cast("Field[Any, Any]", StaffProfile._meta.get_field(name))  # HISTORY_FIELDS are concrete fields


def _label(name: str) -> str:
    label = str(_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _shown(record: Any, name: str) -> str:
    field = _field(name)
    value = getattr(record, name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value) if value not in (None, "") else "–"


def person_history(*, person: User, limit: int = 30) -> list[dict[str, Any]]:
    """The person's profile and designated-role changes, newest first: {when, who, what, how}.
    Two queries, whatever the number of changes."""
    changes: list[dict[str, Any]] = []
    previous = None
    records = (
        StaffProfile.history.filter(user_id=person.pk)
        .select_related("history_user", "organisation", "line_manager")
        .order_by("history_date", "history_id")
    )
    for record in records:
        if previous is None:
            what = ["Profile created"]
        else:
            what = [
                f"{_label(name)}: "
                f"{_shown(previous, name)} → {_shown(record, name)}"
                for name in HISTORY_FIELDS
                if getattr(previous, f"{name}_id" if name in ("organisation", "line_manager") else name)
                != getattr(record, f"{name}_id" if name in ("organisation", "line_manager") else name)
            ]
        if what:
            changes.append({"when": record.history_date, "who": record.history_user,
                            "how": record.history_change_reason or "", "what": what})  # fmt: skip
        previous = record
    roles = (
        DesignatedRole.history.filter(person_id=person.pk)
        .select_related("history_user", "organisation")
        .order_by("history_date")
    )
    for record in roles:
        label = DesignatedRole.Kind(record.kind).label
        until = record.end_date.strftime("%d %b %Y") if record.end_date else "open"
        text = {
            "+": f"{label} recorded in {record.organisation}, from {record.start_date:%d %b %Y} until {until}",
            "~": f"{label} in {record.organisation}: now from {record.start_date:%d %b %Y} until {until}",
            "-": f"{label} in {record.organisation} deleted",
        }[record.history_type]
        changes.append({"when": record.history_date, "who": record.history_user, "how": "", "what": [text]})
    changes.sort(key=lambda change: change["when"], reverse=True)
    return changes[:limit]


# --- Personal data (the privacy app's export, anonymisation and retention read these) -----------------


def leavers_left_before(*, day: date) -> QuerySet[User]:
    """Closed accounts whose leaving date is before `day` and that are not anonymised yet."""
    return User.objects.filter(is_active=False, left_on__lt=day, anonymised_at__isnull=True).order_by("pk")


def import_batches_naming(*, emails: set[str]) -> QuerySet[ImportBatch]:
    """Staff imports whose rows hold any of `emails` (as the person, or as someone's line manager)."""
    mentions = Q(pk__in=[])
    for email in {email.lower() for email in emails if email}:
        mentions |= Q(rows_text__icontains=email)
    return (
        ImportBatch.objects.annotate(rows_text=Cast("rows", TextField()))
        .filter(mentions)
        .select_related("uploaded_by", "organisation")
        .order_by("created_at")
    )


def import_rows_naming(*, emails: set[str]) -> list[dict[str, Any]]:
    """Staff imports whose file named one of `emails`, each with only the rows that name them."""
    emails = {email.lower() for email in emails if email}
    found = []
    for batch in import_batches_naming(emails=emails):
        rows = [
            row for row in batch.rows
            if {str(row.get("values", {}).get(key, "")).lower() for key in ("email", "line_manager_email")} & emails
        ]  # fmt: skip
        if rows:
            found.append({
                "import": str(batch), "uploaded_by": str(batch.uploaded_by), "uploaded_at": batch.created_at,
                "status": batch.get_status_display(), "rows": rows,
            })  # fmt: skip
    return found


def personal_data_of(*, person: User) -> dict[str, tuple[str, object]]:
    """What workforce holds about a person: {key: (title, rows)}; rows are model instances (history
    records too) or plain dicts. The privacy app turns them into JSON and a PDF."""
    emails = {person.email, *User.history.filter(id=person.pk).values_list("email", flat=True)}
    return {
        "account": ("Account", [person]),
        "account_history": ("Changes to the account", User.history.filter(id=person.pk).order_by("history_date")),
        "roles": ("Portal roles", [{"role": name} for name in person.groups.values_list("name", flat=True)]),
        "staff_profile": ("Staff profile", StaffProfile.objects.filter(user=person)),
        "staff_profile_history": (
            "Changes to the staff profile",
            StaffProfile.history.filter(user_id=person.pk).order_by("history_date"),
        ),
        "designated_roles": ("Designated roles", DesignatedRole.objects.filter(person=person).order_by("start_date")),
        "designated_role_history": (
            "Changes to designated roles",
            DesignatedRole.history.filter(person_id=person.pk).order_by("history_date"),
        ),
        "direct_reports": ("People they line-manage", [{"person": str(u)} for u in team_of(manager=person)]),
        "imports_naming_them": ("Staff imports that named them", import_rows_naming(emails=emails)),
        "imports_uploaded": (
            "Staff imports they uploaded",
            [
                {"file": b.filename, "uploaded_at": b.created_at, "status": b.get_status_display(), "counts": b.summary}
                for b in ImportBatch.objects.filter(uploaded_by=person).defer("rows")
            ],
        ),
    }
