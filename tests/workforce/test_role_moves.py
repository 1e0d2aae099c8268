"""Someone who moves to another organisation stops holding the designated roles they held for the old one: on
their own profile page, on the edit page and through an import, recorded in their history and said on the page.
Before (review of issue 3) the role stayed with the old organisation, so the gap report was wrong both ways and
the old organisation's lead could no longer end it. Also: the dashboard and the gap report count only active
organisations, and agree."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from tests.partners.factories import OrganisationFactory
from tests.workforce.conftest import person_row, staff_csv
from tests.workforce.factories import DesignatedRoleFactory
from workforce import selectors
from workforce.models import DesignatedRole

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 11)
YESTERDAY = date(2026, 5, 10)

PROFILE = {"job_title": "Nursery nurse", "workforce": "core", "service_tier": "universal", "cts_band": "3",
           "employment": "paid", "hours": "full", "start_date": "2020-01-06"}  # fmt: skip


@pytest.fixture
def dso(make_user, nursery):
    person = make_user(Role.PRACTITIONER, email="dee@nursery.example", first_name="Dee", last_name="Officer",
                       profile={"organisation": nursery, "job_title": "Nursery nurse"})  # fmt: skip
    DesignatedRoleFactory(person=person, organisation=nursery, start_date=date(2024, 1, 8))
    return person


def _dso_row(figures):
    return next(row for row in figures["roles"] if row["label"] == "Designated Safeguarding Officer")


@time_machine.travel(TODAY)
def test_moving_yourself_ends_the_roles_you_held_for_the_old_organisation(client, dso, council, nursery):
    elsewhere = OrganisationFactory(name="Play Rangers Service")
    trainer = DesignatedRoleFactory(person=dso, organisation=elsewhere, kind="trainer", start_date=date(2024, 2, 1))
    client.force_login(dso)
    form = client.get("/people/profile/").content.decode()
    assert ("Moving to another organisation ends the designated roles held for Little Acorns Day Nursery "
            "(Designated Safeguarding Officer).") in form  # fmt: skip

    response = client.post("/people/profile/", {**PROFILE, "organisation": council.pk}, follow=True)
    page = response.content.decode()
    assert ("Your profile is saved. Your designated roles for Little Acorns Day Nursery ended with the move to "
            "City Council Children&#x27;s Services (last day 10 May 2026): Designated Safeguarding Officer.") in page
    role = DesignatedRole.objects.get(organisation=nursery)
    assert role.end_date == YESTERDAY
    reason = role.history.order_by("-history_id").first().history_change_reason
    assert reason == "Moved to City Council Children's Services"
    trainer.refresh_from_db()
    assert trainer.end_date is None  # held for a third organisation: not the one they left

    # From the move on, the nursery has a gap and nobody counts as its DSO.
    assert nursery in selectors.organisations_without_role(kind="dso", on=TODAY)
    assert _dso_row(selectors.workforce_figures(on=TODAY))["organisations"] == 0


@time_machine.travel(TODAY)
def test_an_administrator_moving_someone_is_told_which_roles_ended_and_the_history_says_so(
    client, admin_user, dso, council, nursery
):
    future = DesignatedRoleFactory(person=dso, organisation=nursery, kind="key_worker", start_date=date(2026, 9, 1))
    client.force_login(admin_user)
    response = client.post(f"/people/staff/{dso.pk}/edit/", {**PROFILE, "organisation": council.pk,
                                                              "employee_ref": ""}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert ("Dee Officer&#x27;s profile is saved. Their designated roles for Little Acorns Day Nursery ended with "
            "the move to City Council Children&#x27;s Services (last day 10 May 2026): Designated Safeguarding "
            "Officer, Key Worker.") in page  # fmt: skip
    assert "Designated Safeguarding Officer in Little Acorns Day Nursery: now from 08 Jan 2024 until 10 May 2026" in (
        page
    )
    gaps = client.get("/people/designated-roles/?kind=dso").content.decode()
    assert "Little Acorns Day Nursery" in gaps[gaps.index("with no current Designated Safeguarding Officer"):]
    assert "Key Worker in Little Acorns Day Nursery deleted" in page  # it had not started: removed
    assert not DesignatedRole.objects.filter(pk=future.pk).exists()


@time_machine.travel(TODAY)
def test_staying_in_the_same_organisation_ends_nothing(client, dso, nursery):
    client.force_login(dso)
    response = client.post("/people/profile/", {**PROFILE, "organisation": nursery.pk}, follow=True)
    assert "Your profile is saved." in response.content.decode()
    assert "designated roles for" not in response.content.decode()
    assert DesignatedRole.objects.get().end_date is None


@time_machine.travel(TODAY)
def test_an_import_that_moves_someone_says_so_in_the_preview_and_ends_their_roles(
    client, admin_user, dso, council, nursery
):
    row = person_row(1, email=dso.email, first_name="Dee", last_name="Officer", job_title="Nursery nurse")
    client.force_login(admin_user)
    response = client.post("/people/import/", {"file": SimpleUploadedFile("move.csv", staff_csv([row]))})
    preview = client.get(response.url).content.decode()
    assert "1 person moves to another organisation: the designated roles they hold for their old one end" in preview
    assert "end when you confirm (their last day in them: the day before)" in preview
    assert ("Moves organisation, so these designated roles end:</strong> Designated Safeguarding Officer in Little "
            "Acorns Day Nursery") in preview  # fmt: skip

    done = client.post(f"{response.url}confirm/", follow=True).content.decode()
    assert "1 designated role of people who moved organisation ended with the move (last day yesterday)." in done
    role = DesignatedRole.objects.get()
    assert role.end_date == YESTERDAY
    record = role.history.order_by("-history_id").first()
    assert (record.history_user, record.history_change_reason) == (
        admin_user, "Imported from move.csv: moved to another organisation"
    )
    assert nursery in selectors.organisations_without_role(kind="dso", on=TODAY)

    # Importing the same file again changes nothing (the person is in the council now; no role left to end).
    again = client.post("/people/import/", {"file": SimpleUploadedFile("move.csv", staff_csv([row]))})
    assert "moves to another organisation" not in client.get(again.url).content.decode()


@time_machine.travel(TODAY)
def test_the_dashboard_counts_only_active_organisations_like_the_gap_report(make_user, council, nursery, dso):
    """Before the fix the dashboard counted people and roles of an organisation that had closed."""
    make_user(profile={"organisation": council})
    assert selectors.workforce_figures(on=TODAY)["total"] == 2
    nursery.is_active = False
    nursery.save()  # also makes the cached figures stale

    figures = selectors.workforce_figures(on=TODAY)
    assert figures["total"] == 1
    assert dict(figures["by_organisation"]) == {council.name: 1}
    dso_row = _dso_row(figures)
    assert (dso_row["holders"], dso_row["organisations"], dso_row["without"]) == (0, 0, 1)
    gaps = list(selectors.organisations_without_role(kind="dso", on=TODAY))
    assert gaps == [council] and len(gaps) == dso_row["without"]
