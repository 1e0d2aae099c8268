"""Demo data for people: one account per role (the README lists them), about 200 fictional staff across the
organisations with line managers, designated roles (with deliberate gaps), and the demo accounts' seats on
governance bodies. manager@ also leads City Council Children's Services."""

from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify

from core.roles import Role
from partners.demo import ORGANISATIONS as DEMO_ORGANISATIONS
from partners.models import Organisation

from .models import DesignatedRole, StaffProfile, User
from .services import user_roles_set

DEMO_DOMAIN = "demo.example"
DEFAULT_PASSWORD = "workforce-demo-2026"  # noqa: S105 - documented demo password, see README

# email local part, first, last, roles, organisation slug, job title, band
DEMO_ACCOUNTS = [
    ("practitioner", "Priya", "Shah", [Role.PRACTITIONER], "city-council-childrens-services", "Social worker", 3),
    ("manager", "Martin", "Okafor", [Role.LINE_MANAGER, Role.PRACTITIONER], "city-council-childrens-services",
     "Team manager, Children in Need", 4),
    ("coordinator", "Chloe", "Bennett", [Role.TRAINING_COORDINATOR, Role.PRACTITIONER],
     "city-council-childrens-services", "Workforce development coordinator", 2),
    ("strategy", "Samuel", "Adeyemi", [Role.STRATEGY_GROUP_MEMBER, Role.PRACTITIONER],
     "community-health-nhs-trust", "Named nurse for safeguarding", 4),
    ("board", "Beatrice", "Lowe", [Role.BOARD_MEMBER], "city-council-childrens-services",
     "Director of Children's Services", 1),
    ("admin", "Adam", "Novak", [Role.ADMINISTRATOR], "city-council-childrens-services",
     "Portal administrator", 1),
]


def demo_email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


@transaction.atomic
def seed(*, password: str = DEFAULT_PASSWORD, stdout=None) -> None:
    users = {}
    for local, first, last, roles, org_slug, job_title, band in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=demo_email(local), defaults={"first_name": first, "last_name": last}
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user_roles_set(user=user, roles=roles)
        if Role.ADMINISTRATOR in roles and not user.is_superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        StaffProfile.objects.get_or_create(
            user=user,
            defaults={
                "organisation": Organisation.objects.get(slug=org_slug),
                "job_title": job_title,
                "cts_band": band,
            },
        )
        users[local] = user
    StaffProfile.objects.filter(user=users["practitioner"], line_manager__isnull=True).update(
        line_manager=users["manager"]
    )
    seed_workforce(stdout=stdout)


# --- The wider demo workforce: about 200 fictional people across the organisations ------------------------

FIRST_NAMES = [
    "Aisha", "Ben", "Carys", "Dev", "Ella", "Femi", "Gemma", "Harry", "Ines", "Jonah", "Kiran", "Leah", "Marek",
    "Nadia", "Owen", "Poppy", "Rohan", "Sofia", "Tomasz", "Uma", "Vikram", "Willow", "Yusuf", "Zara", "Alfie",
    "Bethan", "Callum", "Daisy", "Ethan", "Freya",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Baxter", "Clarke", "Dunmore", "Evans", "Fletcher", "Gill", "Hartley", "Iqbal", "Jarvis", "Kowalski",
    "Lister", "Mensah", "Nolan", "Oduya", "Patel", "Quinn", "Rowe", "Sandhu", "Thorne", "Usher", "Vance",
    "Whitlock", "Yates",
]  # fmt: skip

# sector -> (manager's job title, [(job title, band, workforce, tier)])
SECTOR_JOBS = {
    "Social Care": ("Team manager", [("Social worker", 4, "core", "specialist"),
                                     ("Family support worker", 3, "core", "targeted"),
                                     ("Children in care worker", 4, "core", "specialist"),
                                     ("Fostering support worker", 3, "core", "specialist")]),
    "Health": ("Team leader", [("Health visitor", 3, "core", "universal"), ("School nurse", 3, "core", "universal"),
                               ("Paediatric nurse", 3, "core", "specialist"),
                               ("Mental health practitioner", 4, "core", "specialist")]),
    "Schools": ("Deputy headteacher", [("Teacher", 3, "core", "universal"),
                                       ("Teaching assistant", 3, "core", "universal"),
                                       ("School business manager", 1, "wider", "universal"),
                                       ("Learning mentor", 3, "core", "targeted")]),
    "Youth Support": ("Youth work manager", [("Youth worker", 3, "core", "universal"),
                                             ("Careers adviser", 2, "core", "universal"),
                                             ("Detached youth worker", 3, "core", "targeted")]),
    "Justice and Crime Prevention": ("Operations manager", [("YOT case manager", 4, "core", "specialist"),
                                                            ("Probation service officer", 3, "wider", "specialist"),
                                                            ("Restorative justice worker", 3, "core", "targeted")]),
    "Early Years": ("Setting manager", [("Early years practitioner", 3, "core", "universal"),
                                        ("Nursery nurse", 3, "core", "universal"),
                                        ("Play worker", 2, "core", "universal"),
                                        ("Childminder", 3, "core", "universal")]),
    "Voluntary and Community": ("Project manager", [("Family support volunteer", 2, "wider", "targeted"),
                                                    ("Parenting practitioner", 3, "core", "targeted"),
                                                    ("Young carers worker", 3, "core", "targeted")]),
    "Sports and Culture": ("Duty manager", [("Leisure assistant", 1, "wider", "universal"),
                                            ("Library assistant", 1, "wider", "universal"),
                                            ("Sports coach", 2, "wider", "universal"),
                                            ("Learning officer", 2, "wider", "universal")]),
}  # fmt: skip
BIG_ORGANISATIONS = {"city-council-childrens-services": 24, "community-health-nhs-trust": 14, "oakfield-academy": 10}
STAFF_PER_ORGANISATION = 6
# Designated Safeguarding Officers in every early-years setting except these: the deliberate gaps.
DSO_GAPS = {"sunflower-pre-school", "play-rangers-service"}


def _demo_staff_rows() -> list[dict]:
    """The demo workforce, computed the same way every time (so seeding again changes nothing)."""
    rows = []
    n = 0
    # The demo's own organisations only: those `seed_demo --scale` adds have their people generated with them.
    demo_slugs = [slugify(name) for name, _sector, _type in DEMO_ORGANISATIONS]
    for org in Organisation.objects.filter(slug__in=demo_slugs).select_related("sector").order_by("name"):
        manager_title, jobs = SECTOR_JOBS.get(org.sector.name, ("Manager", [("Practitioner", 3, "core", "universal")]))
        for i in range(BIG_ORGANISATIONS.get(org.slug, STAFF_PER_ORGANISATION)):
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            last = LAST_NAMES[(n * 7 + n // len(FIRST_NAMES)) % len(LAST_NAMES)]
            title, band, workforce, tier = (manager_title, 4, "core", jobs[0][3]) if i == 0 else jobs[i % len(jobs)]
            rows.append({
                "email": f"{first}.{last}.{n + 1:03}@{DEMO_DOMAIN}".lower(),
                "first_name": first, "last_name": last, "organisation": org, "job_title": title, "cts_band": band,
                "workforce": workforce, "service_tier": tier, "is_manager": i == 0,
                "employment": StaffProfile.Employment.VOLUNTEER if "volunteer" in title.lower()
                else StaffProfile.Employment.PAID,
                "hours": StaffProfile.Hours.PART_TIME if n % 4 == 0 else StaffProfile.Hours.FULL_TIME,
                "start_date": date(2008 + n % 16, 1 + n % 12, 1 + n % 27), "employee_ref": f"HR{10000 + n}",
            })  # fmt: skip
            n += 1
    return rows


def seed_workforce(*, stdout=None) -> None:
    rows = _demo_staff_rows()
    existing = set(User.objects.filter(email__in=[r["email"] for r in rows]).values_list("email", flat=True))
    unusable = make_password(None)  # demo staff do not sign in; the six demo accounts do
    User.objects.bulk_create(
        [User(email=r["email"], first_name=r["first_name"], last_name=r["last_name"], password=unusable)
         for r in rows if r["email"] not in existing]  # fmt: skip
    )
    users = {u.email: u for u in User.objects.filter(email__in=[r["email"] for r in rows])}
    practitioner = Group.objects.get_or_create(name=Role.PRACTITIONER.value)[0]
    line_manager = Group.objects.get_or_create(name=Role.LINE_MANAGER.value)[0]
    for group, members in ((practitioner, rows), (line_manager, [r for r in rows if r["is_manager"]])):
        group.user_set.add(*[users[r["email"]] for r in members])

    manager_of = {}
    for r in rows:
        if r["is_manager"]:
            manager_of[r["organisation"].pk] = users[r["email"]]
    # Martin Okafor (manager@) manages the council's demo staff and leads the organisation.
    demo_manager = User.objects.get(email=demo_email("manager"))
    council = Organisation.objects.get(slug="city-council-childrens-services")
    manager_of[council.pk] = demo_manager
    StaffProfile.objects.filter(user=demo_manager).update(is_organisation_lead=True)

    have_profile = set(StaffProfile.objects.filter(user__in=users.values()).values_list("user__email", flat=True))
    profiles = []
    for r in rows:
        if r["email"] in have_profile:
            continue
        manager = manager_of[r["organisation"].pk]
        profiles.append(
            StaffProfile(
                user=users[r["email"]], organisation=r["organisation"], job_title=r["job_title"],
                cts_band=r["cts_band"], workforce=r["workforce"], service_tier=r["service_tier"],
                employment=r["employment"], hours=r["hours"], start_date=r["start_date"],
                employee_ref=r["employee_ref"], line_manager=None if manager == users[r["email"]] else manager,
            )
        )  # fmt: skip
    StaffProfile.objects.bulk_create(profiles)
    _seed_designated_roles(rows, users)
    _seed_governance_members()


def _seed_designated_roles(rows, users) -> None:
    """A designated role or two in each organisation; early-years settings have a Designated Safeguarding
    Officer, except the deliberate gaps (DSO_GAPS)."""
    first_of = {}
    for r in rows:
        first_of.setdefault(r["organisation"].slug, []).append(r)
    wanted = []
    for slug, members in first_of.items():
        org = members[0]["organisation"]
        manager, second = users[members[0]["email"]], users[members[1]["email"]]
        if org.sector.name == "Early Years" and slug not in DSO_GAPS:
            wanted.append((manager, DesignatedRole.Kind.SAFEGUARDING_OFFICER, org, date(2022, 9, 1)))
        if org.sector.name == "Schools":
            wanted.append((manager, DesignatedRole.Kind.SAFEGUARDING_OFFICER, org, date(2021, 9, 1)))
            wanted.append((second, DesignatedRole.Kind.ACCREDITED_PRACTITIONER, org, date(2023, 1, 9)))
        if org.sector.name in ("Social Care", "Health", "Voluntary and Community"):
            wanted.append((second, DesignatedRole.Kind.LEAD_PROFESSIONAL, org, date(2022, 4, 1)))
        if org.sector.name in ("Youth Support", "Justice and Crime Prevention"):
            wanted.append((second, DesignatedRole.Kind.PARTICIPATION_CHAMPION, org, date(2023, 6, 1)))
        if org.sector.name == "Voluntary and Community":
            wanted.append((manager, DesignatedRole.Kind.KEY_WORKER, org, date(2021, 11, 1)))
    council = first_of["city-council-childrens-services"]
    wanted.append((users[council[2]["email"]], DesignatedRole.Kind.TRAINER, council[0]["organisation"],
                   date(2020, 2, 3)))  # fmt: skip
    for person, kind, org, start in wanted:
        DesignatedRole.objects.get_or_create(person=person, kind=kind, organisation=org, start_date=start)
    # A DSO who left: the history shows the role ended, and Sunflower Pre-school is a gap again.
    sunflower = first_of.get("sunflower-pre-school")
    if sunflower:
        DesignatedRole.objects.get_or_create(
            person=users[sunflower[0]["email"]], kind=DesignatedRole.Kind.SAFEGUARDING_OFFICER,
            organisation=sunflower[0]["organisation"], start_date=date(2019, 9, 1),
            defaults={"end_date": date(2024, 7, 19), "notes": "Left the setting; post not yet filled."},
        )  # fmt: skip


def _seed_governance_members() -> None:
    from partners.models import GovernanceBody, Sector
    from partners.services import governance_membership_upsert

    bodies = {b.slug: b for b in GovernanceBody.objects.all()}
    sectors = {s.name: s for s in Sector.objects.all()}
    for local, body, role, sector in [
        ("strategy", "workforce-strategy-group", "Chair", "Health"),  # so the demo shows escalations to the chair
        ("coordinator", "workforce-strategy-group", "Member", "Social Care"),
        ("board", "board", "Member", "Social Care"),
        ("board", "senior-officers-group", "Member", "Social Care"),
    ]:
        user = User.objects.select_related("profile__organisation").get(email=demo_email(local))
        if body in bodies:
            governance_membership_upsert(
                body=bodies[body], user=user, role=role, sector=sectors.get(sector),
                organisation=user.profile.organisation, start_date=date(2023, 4, 1),
            )  # fmt: skip
