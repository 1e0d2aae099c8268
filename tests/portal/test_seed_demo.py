import io

import pytest
from django.apps import apps
from django.core.management import call_command

from workforce.models import User

pytestmark = pytest.mark.django_db

DEMO_LOGINS = [
    "practitioner@demo.example",
    "manager@demo.example",
    "coordinator@demo.example",
    "strategy@demo.example",
    "board@demo.example",
    "admin@demo.example",
]


def _counts():
    """Rows in every table of every installed app, including many-to-many and history tables."""
    return {m._meta.db_table: m._base_manager.count() for m in apps.get_models(include_auto_created=True)}


@pytest.mark.slow  # the whole demo, twice
def test_seed_demo_creates_the_six_logins_and_is_idempotent(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8123"  # `make run PORT=8123`
    out = io.StringIO()
    call_command("seed_demo", password="a-demo-passphrase", stdout=out)
    assert "Sign in at http://127.0.0.1:8123 with:" in out.getvalue()
    assert all(email in out.getvalue() for email in DEMO_LOGINS)
    first = _counts()
    assert first["workforce_user"] > 200 and first["partners_organisation"] >= 25
    call_command("seed_demo", password="a-demo-passphrase")
    assert _counts() == first
    for email in DEMO_LOGINS:
        assert User.objects.get(email=email).check_password("a-demo-passphrase")
        assert client.login(username=email, password="a-demo-passphrase")


def _generated_partnership() -> dict:
    """What --scale added, without database ids (which differ from one load to the next)."""
    from actions.models import Action
    from training.models import Booking, Completion, Session

    def rows(values) -> list[tuple]:
        return sorted(tuple(str(v) for v in row) for row in values)

    generated = {"person__email__endswith": "@scale.example"}
    return {
        "people": rows(User.objects.filter(email__endswith="@scale.example").values_list(
            "email", "profile__organisation__name", "profile__cts_band", "profile__line_manager__email")),
        "sessions": rows(Session.objects.values_list("course__code", "starts_at", "capacity", "status")),
        "bookings": rows(Booking.objects.filter(**generated).values_list(
            "session__course__code", "session__starts_at", "person__email", "status")),
        "completions": rows(Completion.objects.filter(**generated).values_list(
            "person__email", "course__code", "completed_on")),
        "actions": rows(Action.objects.values_list("code", "title", "due_date", "current_status")),
    }  # fmt: skip


@pytest.mark.slow  # a partnership ten times the demo
def test_seed_demo_at_a_scale_grows_the_demo_reproducibly_and_once():
    from django.core.management.base import CommandError
    from django.db import transaction

    from actions.models import Action, Milestone
    from partners.models import Organisation
    from portal.demo_scale import Sizes
    from training.models import Booking, Course, Session
    from workforce.models import StaffProfile

    with transaction.atomic():
        call_command("seed_demo")
        demo = Sizes(organisations=Organisation.objects.count(), staff=StaffProfile.objects.count(),
                     courses=Course.objects.count(), sessions=Session.objects.count(),
                     bookings=Booking.objects.count(), actions=Action.objects.count(),
                     milestones=Milestone.objects.count())  # fmt: skip
        assert Sizes.at(1) == demo  # scale 1 is the demo (portal.demo_scale.DEMO keeps its counts)
        call_command("seed_demo", scale=3)
        first = _generated_partnership()
        transaction.set_rollback(True)
    call_command("seed_demo", scale=3)
    assert _generated_partnership() == first  # the same scale gives the same partnership

    sizes = Sizes.at(3)
    assert sizes == Sizes(organisations=27, staff=750, courses=30, sessions=150, bookings=3_000, actions=300,
                          milestones=300)  # fmt: skip
    assert (Organisation.objects.count(), StaffProfile.objects.count(), Course.objects.count(),
            Session.objects.count(), Booking.objects.count(), Action.objects.count(), Milestone.objects.count()) == (
        sizes.organisations, sizes.staff, sizes.courses, sizes.sessions, sizes.bookings, sizes.actions,
        sizes.milestones)  # fmt: skip
    assert User.objects.get(email="practitioner@demo.example").check_password("workforce-demo-2026")

    before = _counts()
    call_command("seed_demo", scale=3)
    assert _counts() == before  # seeding the same scale again adds nothing
    with pytest.raises(CommandError, match="another scale"):
        call_command("seed_demo", scale=4)
    assert _counts() == before


def test_the_real_partnership_is_scale_100():
    from portal.demo_scale import Sizes

    assert Sizes.at(100) == Sizes(organisations=300, staff=25_000, courses=1_000, sessions=5_000,
                                  bookings=100_000, actions=10_000, milestones=10_000)  # fmt: skip


@pytest.mark.parametrize(("password", "reason"), [("", "too short"), ("x", "too short"), ("password123", "too common"),
                                                  ("12345678901", "entirely numeric")])  # fmt: skip
def test_seed_demo_refuses_a_password_the_sign_in_pages_would_refuse(password, reason):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=f"--password is not allowed: .*{reason}"):
        call_command("seed_demo", password=password)
    assert not User.objects.exists()  # nothing loaded


@pytest.mark.slow  # a live server
def test_make_run_prints_the_logins_again_once_the_portal_answers(live_server):
    """Procfile.dev's `logins` process: after the server answers, the logins are the last lines on screen."""
    out = io.StringIO()
    call_command("demo_logins", wait_for=f"{live_server.url}/healthz", settle=0, stdout=out)
    assert all(email in out.getvalue() for email in DEMO_LOGINS)
    assert "password for all: workforce-demo-2026" in out.getvalue()


@pytest.mark.slow  # a manage.py process
def test_in_development_emails_are_files_under_var_mail():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "EMAIL_FILE_PATH"}}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)"],
        cwd=root, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    backend, folder = result.stdout.split()[-2:]
    assert (backend, folder) == ("django.core.mail.backends.filebased.EmailBackend", str(root / "var" / "mail"))
