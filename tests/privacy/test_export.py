"""The export holds the person's data from every app, and nothing of anyone else's."""

import json

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from privacy import exports
from privacy.models import DataRequest
from privacy.selectors import personal_data_of

pytestmark = pytest.mark.django_db


def _json(client, person):
    response = client.get(f"/data-protection/people/{person.pk}/export.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_json_export_holds_every_kind_of_record(client, admin, olwen, other):
    client.force_login(admin)
    document = _json(client, olwen.user)
    sections = document["sections"]
    expected = {
        "account": 1, "roles": 2, "staff_profile": 1, "designated_roles": 1, "governance_memberships": 1,
        "bookings": 3, "waiting_lists": 1, "completions": 2, "certificates": 1, "evaluations": 1,
        "actions_led": 1, "status_updates": 1, "board_reports_requested": 1, "notifications": 1,
        "notifications_copied": 1,
        "notification_preferences": 4, "imports_naming_them": 1, "sign_in_log": 1, "sign_in_attempts": 1,
        "admin_log": 1, "two_factor": 1,
    }  # fmt: skip
    for key, count in expected.items():
        assert len(sections[key]["records"]) == count, key
    for key in ("account_history", "staff_profile_history", "designated_role_history", "booking_history",
                "governance_membership_history", "notification_preference_history"):  # fmt: skip
        assert sections[key]["records"], key
    account = sections["account"]["records"][0]
    assert account["email"] == olwen.user.email and account["phone"] == olwen.phone
    assert "password" not in account
    assert "key" not in sections["two_factor"]["records"][0]
    assert sections["staff_profile"]["records"][0]["employee_ref"] == olwen.ref
    assert sections["certificates"]["records"][0]["certificate number"] == f"CTS-2026-{olwen.user.pk:05d}"
    assert sections["evaluations"]["records"][0]["rating"] == 4
    # Only their row of the import file, not the other person's in the same file.
    [naming] = sections["imports_naming_them"]["records"]
    assert [row["values"]["email"] for row in naming["rows"]] == [olwen.user.email]


def test_the_export_holds_nothing_of_anyone_else(client, admin, olwen, other):
    client.force_login(admin)
    text = json.dumps(_json(client, olwen.user), ensure_ascii=False)
    assert olwen.name in text and olwen.user.email in text
    for leaked in (other.name, other.user.email, other.phone, other.ref, "unrelated@example.org", "Una"):
        assert leaked not in text


def test_every_model_that_points_at_a_person_is_exported(olwen):
    """A new model with a link to a person must be added to its app's personal_data_of (or listed here
    with the reason it is not personal data)."""
    exported = {
        getattr(row, "instance_type", type(row)) if not isinstance(row, dict) else None
        for section in personal_data_of(person=olwen.user)
        for row in (section["rows"] if isinstance(section["rows"], list) else section["rows"].model.objects.none())
    }
    exported |= {section["rows"].model for section in personal_data_of(person=olwen.user)
                 if not isinstance(section["rows"], list)}  # fmt: skip
    not_personal = {
        "training.Booking": "booked_by/approved_by etc. are the actors; the person's own bookings are exported",
        "privacy.RetentionPolicy": "updated_by: who set a period (in the audit log)",
        "privacy.RetentionRun": "started_by: who pressed Run now",
        "actions.PlanImport": "exported as plain rows (plan_imports)",
        "actions.BoardReport": "exported as plain rows (board_reports_requested)",
        "workforce.ImportBatch": "exported as plain rows (imports_naming_them, imports_uploaded)",
        "admin.LogEntry": "exported (admin_log)",
        "django_celery_beat.PeriodicTask": "no link to people",
    }
    ours = {"partners", "workforce", "training", "actions", "notifications", "privacy"}
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in ours or model in exported or model._meta.label in not_personal:
            continue
        points_at_people = any(
            f.is_relation and f.related_model is not None and f.related_model._meta.label == settings.AUTH_USER_MODEL
            for f in model._meta.get_fields() if getattr(f, "concrete", False) or f.many_to_many
        )  # fmt: skip
        if points_at_people and not model._meta.object_name.startswith("Historical"):
            missing.append(model._meta.label)
    assert missing == []


def test_the_pdf_export_is_readable_and_recorded(client, admin, olwen):
    client.force_login(admin)
    response = client.get(f"/data-protection/people/{olwen.user.pk}/export.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"Personal data held about {olwen.name}" in text
    certificate = f"CTS-2026-{olwen.user.pk:05d}"
    for expected in (olwen.user.email, olwen.phone, certificate, "Vice-chair", "met the schools forum"):
        assert expected in text
    request = DataRequest.objects.get(subject=olwen.user, kind=DataRequest.Kind.EXPORT_PDF)
    assert request.by == admin and request.details["Bookings"] == 3


def test_json_and_pdf_hold_the_same_sections(olwen):
    data = exports.person_data(person=olwen.user)
    document = json.loads(exports.person_data_json(data))
    assert list(document["sections"]) == [section["key"] for section in data["sections"]]


def test_the_pdf_exports_row_headers_say_they_head_rows(olwen):
    """PDF/UA (Matterhorn 15-003): each record's field names are TH with /Scope /Row."""
    from tests.pdf_structure import table_headers

    headers = table_headers(exports.person_data_pdf(exports.person_data(person=olwen.user)))
    assert headers and {scope for _group, scope in headers} == {"/Row"}


def _pdf_text(client, person) -> str:
    import io

    response = client.get(f"/data-protection/people/{person.pk}/export.pdf")
    assert response.status_code == 200
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_neither_export_holds_a_csrf_token_or_a_password(client, admin, olwen):
    """django-axes keeps what a failed sign-in sent, CSRF token included: the export leaves out the token and
    anything named like a password, and splits the attempts axes joined with a line of dashes."""
    client.force_login(admin)
    document = _json(client, olwen.user)
    [attempt] = document["sections"]["sign_in_attempts"]["records"]
    assert attempt["post_data"] == [{"username": olwen.user.email}, {"username": olwen.user.email.upper()}]
    assert attempt["get_data"] == [{"next": "/plan/"}]
    text = json.dumps(document) + _pdf_text(client, olwen.user)
    for secret in ("Tok3nOfTheSession", "An0therT0ken", "csrfmiddlewaretoken", "typed-in-the-wrong-box", "*****",
                   "---------"):  # fmt: skip
        assert secret not in text


def test_the_pdf_writes_dates_lists_and_records_as_people_read_them(client, admin, olwen):
    import re

    client.force_login(admin)
    text = _pdf_text(client, olwen.user)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text), "an ISO timestamp"
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", text), "microseconds"
    assert "['" not in text and "{'" not in text, "a Python list or dict printed as it is"
    assert "1 January 2025" in text  # the designated role's start date
    assert re.search(r"Date joined\s+\d{1,2} \w+ 20\d\d, \d{2}:\d{2}", text)
    assert re.search(r"Groups\s+(Practitioner|Line manager)\n(Practitioner|Line manager)\n", text)  # a list
    assert "Username: olwen.trevelyan@example.org" in text


def test_the_export_holds_the_changes_the_person_made_to_records(client, admin, olwen):
    """The history tables record who made each change (history_user): a strategy-group member's edits to the
    action plan are their personal data too. Each app's part of the export ends with them."""
    from tests.actions.factories import ActionFactory

    action = ActionFactory(title="Audit of supervision")
    action.title = "Audit of supervision arrangements"
    action._history_user = olwen.user
    action.save()
    client.force_login(admin)
    changes = _json(client, olwen.user)["sections"]["changes_made_actions"]
    assert changes["title"] == "Changes they made to records"
    assert changes["held_by"] == "Action plan"
    [change] = [c for c in changes["records"] if c["record"] == f"Action {action.pk}"]
    assert change["record type"] == "Action" and change["change"] == "changed"
    assert change["when"].startswith(timezone.localdate().isoformat())
    text = _pdf_text(client, olwen.user)
    assert f"Record Action {action.pk}" in text
    assert "Audit of supervision" not in text  # named by kind and number: the record may be about others
    admins = _json(client, admin)["sections"]
    assert any(c["record type"] == "Staff profile" for c in admins["changes_made_workforce"]["records"])
