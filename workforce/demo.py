"""Demo data for people: one account per role (the README lists them), with fictional names."""

from django.db import transaction

from partners.models import Organisation

from .models import StaffProfile, User
from .permissions import Role
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
