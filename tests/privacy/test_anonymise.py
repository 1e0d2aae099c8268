"""Anonymising a leaver: their name is gone from every table (history tables too), they cannot sign in,
and every figure that counted them counts them still."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, models
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import StatusUpdate
from actions.reports.data import compliance_by_sector, training_in, workforce_as_at
from actions.reports.quarters import quarter_containing
from privacy.models import DataRequest
from privacy.services import PrivacyError, person_anonymise
from training.compliance import compliance_matrix
from training.models import Booking, Completion, Evaluation
from workforce.models import User
from workforce.selectors import workforce_figures
from workforce.services import person_leave

pytestmark = pytest.mark.django_db


def tables_holding(text: str) -> list[str]:
    """Every table (ours, Django's and the libraries') with a row whose text holds `text`."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if connection.vendor == "postgresql":
                cursor.execute(f'SELECT count(*) FROM "{table}" t WHERE t::text ILIKE %s', [f"%{text}%"])  # noqa: S608
                if cursor.fetchone()[0]:
                    found.append(table)
    if connection.vendor != "postgresql":  # SQLite: every text and JSON column of every model
        for model in apps.get_models(include_auto_created=True):
            fields = [f for f in model._meta.concrete_fields
                      if isinstance(f, models.CharField | models.TextField | models.JSONField)]  # fmt: skip
            q = models.Q(pk__in=[])
            for f in fields:
                q |= models.Q(**{f"{f.name}__icontains": text}) if not isinstance(f, models.JSONField) else models.Q()
            if fields and model._default_manager.filter(q).exists():
                found.append(model._meta.db_table)
    return found


def counted(figures: dict) -> dict:
    """The figures without the token that keys their rendered dashboard (new each time they are counted)."""
    return {name: value for name, value in figures.items() if name != "token"}


def figures(day: dt.date) -> dict:
    quarter = quarter_containing(day - dt.timedelta(days=60))  # the quarter of the attended session
    people = User.objects.filter(is_active=True, profile__isnull=False)
    matrix = compliance_matrix(people=people, today=day)
    states = sorted(str(cell.state) for row in matrix.rows for cell in row.cells)
    return {
        "workforce": counted(workforce_figures(on=day)),
        "workforce_as_at": counted(workforce_as_at(day=day)),
        "compliance_states": states,
        "compliance_by_sector": repr(compliance_by_sector(day=day)),
        "training_in_quarter": repr(training_in(quarter=quarter)),
        "bookings": sorted(Booking.objects.values_list("session_id", "status")),
        "completions": sorted(Completion.objects.values_list("course_id", "completed_on")),
        "ratings": sorted(Evaluation.objects.values_list("rating", flat=True)),
    }


def test_the_name_is_gone_from_every_table_and_the_figures_do_not_move(admin, olwen, other):
    person_leave(person=olwen.user, left_on=timezone.localdate(), by=admin)
    before = figures(timezone.localdate())
    needles = [olwen.name, olwen.user.email, olwen.phone, olwen.ref, olwen.last, f"{olwen.last}, {olwen.first}"]
    assert all(tables_holding(needle) for needle in [olwen.name, olwen.user.email])  # the search finds them

    request = person_anonymise(person=olwen.user, by=admin)

    for needle in needles:
        assert tables_holding(needle) == [], needle
    after = figures(timezone.localdate())
    assert after == before
    # The other person is untouched.
    assert tables_holding(other.name) and tables_holding(other.user.email) and tables_holding(other.phone)
    user = User.objects.get(pk=olwen.user.pk)
    assert str(user) == f"Former staff member {user.pk}"
    assert user.email == f"former-staff-{user.pk}@anonymised.invalid"
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert user.anonymised_at is not None
    assert request.kind == DataRequest.Kind.ANONYMISE and request.by == admin
    assert request.details["accounts"] == 1
    # The history still says what happened and who did it.
    last = User.history.filter(id=user.pk).latest("history_date")
    assert last.history_change_reason == "Anonymised" and last.history_user == admin


def test_an_anonymised_person_cannot_sign_in(client, olwen, password):
    person_anonymise(person=olwen.user, by=None)
    for email in (olwen.user.email, User.objects.get(pk=olwen.user.pk).email):
        response = client.post("/accounts/sign-in/", {"username": email, "password": password})
        assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_an_active_person_is_recorded_as_leaving_today(admin, olwen):
    person_anonymise(person=olwen.user, by=admin)
    assert User.objects.get(pk=olwen.user.pk).left_on == timezone.localdate()


def test_twice_or_oneself_is_refused_and_changes_nothing(admin, olwen):
    person_anonymise(person=olwen.user, by=admin)
    user = User.objects.get(pk=olwen.user.pk)
    with pytest.raises(PrivacyError, match="already been anonymised"):
        person_anonymise(person=user, by=admin)
    with pytest.raises(PrivacyError, match="your own account"):
        person_anonymise(person=admin, by=admin)
    assert DataRequest.objects.filter(kind=DataRequest.Kind.ANONYMISE).count() == 1
    assert User.objects.get(pk=admin.pk).is_active


def test_a_failure_part_way_leaves_everything_as_it_was(admin, olwen, make_user):
    """One transaction: the account's placeholder address is taken (a real unique-constraint failure in
    the last step), so the rewrites other apps had already made are rolled back too."""
    make_user(email=f"former-staff-{olwen.user.pk}@anonymised.invalid")
    with pytest.raises(IntegrityError):
        person_anonymise(person=olwen.user, by=admin)
    assert StatusUpdate.objects.filter(commentary=f"{olwen.name} met the schools forum.").exists()
    assert User.objects.get(pk=olwen.user.pk).email == olwen.user.email
    assert not DataRequest.objects.exists()
