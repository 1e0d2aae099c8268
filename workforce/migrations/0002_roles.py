"""Create the portal's roles as Django groups. The names are spelled out here (not imported) so this
migration keeps working whatever the code later says."""

from django.db import migrations

ROLES = [
    "Practitioner",
    "Line manager",
    "Training coordinator",
    "Strategy group member",
    "Board member",
    "Administrator",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
