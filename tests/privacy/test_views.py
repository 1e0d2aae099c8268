"""The data-protection pages: administrators only, a confirm step for anonymising, periods with clear
errors, and an audit log filtered by person and date."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from privacy.models import DataRequest, RetentionPolicy, RetentionRun
from workforce.models import User

pytestmark = pytest.mark.django_db


def _urls(pk):
    return [
        reverse("privacy:index"), reverse("privacy:person", args=[pk]), reverse("privacy:export_json", args=[pk]),
        reverse("privacy:export_pdf", args=[pk]), reverse("privacy:anonymise", args=[pk]),
        reverse("privacy:leave", args=[pk]),
        reverse("privacy:retention"), reverse("privacy:runs"), reverse("privacy:audit"),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_everyone_but_administrators_gets_a_404(client, make_user, role, practitioner):
    client.force_login(make_user(role, profile={"is_organisation_lead": True}))
    for url in _urls(practitioner.pk):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("privacy:retention_run")).status_code == 404
    assert client.post(reverse("privacy:anonymise", args=[practitioner.pk]), {"confirm": "on"}).status_code == 404
    assert User.objects.get(pk=practitioner.pk).is_active and not DataRequest.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, practitioner):
    for url in _urls(practitioner.pk):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_administrators_reach_every_page(client, admin, olwen):
    client.force_login(admin)
    for url in _urls(olwen.user.pk):
        assert client.get(url).status_code == (405 if url.endswith("/leave/") else 200), url
    assert client.get(reverse("privacy:person", args=[999999])).status_code == 404


def test_search_finds_leavers_too(client, admin, olwen):
    from workforce.services import person_leave

    person_leave(person=olwen.user, left_on=timezone.localdate(), by=admin)
    client.force_login(admin)
    page = client.get(reverse("privacy:index"), {"q": "trevelyan"}).content.decode()
    assert "Olwen Trevelyan" in page and "Closed (left" in page


def test_anonymising_needs_the_box_ticked(client, admin, olwen):
    client.force_login(admin)
    url = reverse("privacy:anonymise", args=[olwen.user.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Tick the box to confirm you understand this cannot be undone." in response.content.decode()
    assert User.objects.get(pk=olwen.user.pk).email == olwen.user.email

    response = client.post(url, {"confirm": "on"}, follow=True)
    user = User.objects.get(pk=olwen.user.pk)
    text = response.content.decode()
    assert user.is_anonymised
    assert f"Olwen Trevelyan is anonymised: they are now “Former staff member {user.pk}”" in text
    assert "This account was anonymised on" in text


def test_retention_periods_with_a_bad_value_show_the_error_and_save_nothing(client, admin):
    client.force_login(admin)
    url = reverse("privacy:retention")
    values = {"leaver_accounts": "36", "sign_in_attempts": "3", "notifications": "1", "import_files": "abc",
              "evaluation_comments": "24", "external_members": "12"}  # fmt: skip
    text = client.post(url, values).content.decode()
    assert "There is a problem" in text and "Ensure this value is greater than or equal to 3." in text
    assert "Enter a whole number." in text
    assert not RetentionPolicy.objects.exists()
    values.update(notifications="6", import_files="2")
    response = client.post(url, values, follow=True)
    assert "Retention periods saved (3 changed)." in response.content.decode()
    assert dict(RetentionPolicy.objects.values_list("kind", "months")) == {
        "leaver_accounts": 36, "notifications": 6, "import_files": 2}


def test_run_now_logs_the_run(client, admin):
    client.force_login(admin)
    response = client.post(reverse("privacy:retention_run"), follow=True)
    text = response.content.decode()
    assert "The retention job ran: 0 records anonymised, deleted or emptied." in text
    assert "Leavers&#x27; accounts" in text and "An administrator" in text


def test_the_audit_log_filters_by_person_and_date(client, admin, olwen, other):
    client.force_login(admin)
    url = reverse("privacy:audit")
    text = client.get(url, {"person": olwen.user.email}).content.decode()
    assert "Olwen Trevelyan" in text and "Bronwen Kittering" not in text
    assert "Phone: – → 07700 900123" in text  # the account change, field by field
    assert "HR reference: – → HR-55501" in text
    assert "Designated role" in text and "Booking" in text and "Ada Admin" in text
    today = timezone.localdate()
    assert "No changes match." in client.get(url, {"person": olwen.user.email, "until": "2000-01-01"}).content.decode()
    text = client.get(url, {"since": today.isoformat(), "until": today.isoformat()}).content.decode()
    assert "Olwen Trevelyan" in text and "Bronwen Kittering" in text
    bad = client.get(url, {"since": "2026-02-01", "until": "2026-01-01"}).content.decode()
    assert "The end date must be on or after the start date." in bad


def test_the_audit_log_shows_anonymising_without_the_old_name(client, admin, olwen):
    client.force_login(admin)
    client.post(reverse("privacy:anonymise", args=[olwen.user.pk]), {"confirm": "on"}, follow=True)
    text = client.get(reverse("privacy:audit"), {"person": "former staff member"}).content.decode()
    assert "Anonymised" in text and "Olwen" not in text and "Trevelyan" not in text


def _started(person, day):
    from workforce.models import StaffProfile

    StaffProfile.objects.filter(user=person).update(start_date=day)
    person.refresh_from_db()


@time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))
def test_recording_a_leaver_closes_the_account_and_starts_the_retention_period(client, admin, olwen):
    _started(olwen.user, dt.date(2019, 9, 2))
    client.force_login(admin)
    url = reverse("privacy:leave", args=[olwen.user.pk])
    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    text = client.post(url, {"left_on": future}).content.decode()
    assert "The leaving date cannot be in the future." in text
    assert User.objects.get(pk=olwen.user.pk).is_active
    response = client.post(url, {"left_on": "2026-03-31"}, follow=True)
    assert "is recorded as having left on 31 March 2026. They can no longer sign in." in response.content.decode()
    # When the nightly job will anonymise them: the first day 24 calendar months after the leaving date.
    assert "The retention job will anonymise them on 1 April 2028, 24 months after they left" in (
        response.content.decode()
    )
    assert "the retention job anonymises it on 1 April 2028" in response.content.decode()
    user = User.objects.get(pk=olwen.user.pk)
    assert not user.is_active and user.left_on.isoformat() == "2026-03-31"
    assert User.history.filter(id=user.pk, history_change_reason="Recorded as a leaver", is_active=False).exists()


def test_role_changes_are_audited_from_either_side(client, admin, practitioner):
    from django.contrib.auth.models import Group

    from workforce.services import user_roles_set

    user_roles_set(user=practitioner, roles=[Role.PRACTITIONER, Role.TRAINING_COORDINATOR])
    Group.objects.get_or_create(name=Role.BOARD_MEMBER.value)[0].user_set.add(practitioner)
    records = User.history.filter(id=practitioner.pk).order_by("history_date")
    groups = [sorted(g.name for g in Group.objects.filter(pk__in=r.groups.values_list("group_id", flat=True)))
              for r in records]  # fmt: skip
    assert groups[-2:] == [["Practitioner", "Training coordinator"],
                           ["Board member", "Practitioner", "Training coordinator"]]  # fmt: skip
    client.force_login(admin)
    text = client.get(reverse("privacy:audit"), {"person": practitioner.email}).content.decode()
    assert "Roles: Practitioner, Training coordinator → Board member, Practitioner, Training coordinator" in text


def test_retention_periods_are_set_on_the_portal_page_only(client, admin):
    """The Django admin shows the periods and their history, but cannot set one below its shortest
    (notifications: 3 months, or a reminder could be sent twice) nor delete one: the portal page checks."""
    client.force_login(admin)
    client.post(reverse("privacy:retention"), {"leaver_accounts": "24", "sign_in_attempts": "3", "notifications": "6",
                                               "import_files": "1", "evaluation_comments": "24",
                                               "external_members": "12"})  # fmt: skip
    policy = RetentionPolicy.objects.get(kind="notifications")
    base = f"/admin/privacy/retentionpolicy/{policy.pk}"
    assert client.get(f"{base}/change/").status_code == 200
    assert client.get(f"{base}/history/").status_code == 200
    client.post(f"{base}/change/", {"kind": "notifications", "months": "1", "updated_by": admin.pk})
    assert RetentionPolicy.objects.get(pk=policy.pk).months == 6
    assert client.get("/admin/privacy/retentionpolicy/add/").status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert RetentionPolicy.objects.filter(pk=policy.pk).exists()
    # Nor can an old version be restored from its history (django-simple-history's "revert").
    client.post(reverse("privacy:retention"), {"leaver_accounts": "24", "sign_in_attempts": "3", "notifications": "9",
                                               "import_files": "1", "evaluation_comments": "24",
                                               "external_members": "12"})  # fmt: skip
    first = policy.history.order_by("history_id").first()
    revert = f"{base}/history/{first.history_id}/"
    assert client.get(revert).status_code == 200
    assert client.post(revert, {"kind": "notifications", "months": "6", "updated_by": admin.pk}).status_code == 403
    assert RetentionPolicy.objects.get(pk=policy.pk).months == 9


def test_the_retention_run_log_cannot_be_deleted_in_the_admin(client, admin):
    client.force_login(admin)
    client.post(reverse("privacy:retention_run"))
    run = RetentionRun.objects.get()
    assert client.get(f"/admin/privacy/retentionrun/{run.pk}/change/").status_code == 200
    assert client.post(f"/admin/privacy/retentionrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RetentionRun.objects.filter(pk=run.pk).exists()


def test_an_export_is_a_download_link_not_a_form(client, admin, olwen):
    """A POST (found by tests/portal/test_bad_input.py) exported and recorded a request like the link does."""
    client.force_login(admin)
    for name in ("privacy:export_json", "privacy:export_pdf"):
        assert client.post(reverse(name, args=[olwen.user.pk]), {"x": "1"}).status_code == 405
    assert not DataRequest.objects.exists()


def test_the_audit_log_to_the_last_day_there_is(client, admin, olwen):
    """Found by tests/portal/test_bad_input.py: "To 31/12/9999" overflowed the day after it (a 500)."""
    client.force_login(admin)
    text = client.get(reverse("privacy:audit"), {"person": olwen.user.email, "until": "9999-12-31"}).content.decode()
    assert "Olwen Trevelyan" in text


def test_the_leaving_date_field_shows_its_date_in_the_browser(client, admin, olwen):
    """A date input takes only YYYY-MM-DD: "03/12/2026" left Chromium's field empty."""
    client.force_login(admin)
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)):
        page = client.get(reverse("privacy:person", args=[olwen.user.pk])).content.decode()
    assert 'type="date" name="left_on" value="2026-12-03"' in page


@time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))
@pytest.mark.parametrize(("started", "left_on", "message"), [
    (dt.date(2019, 9, 2), "1900-01-01", "The leaving date cannot be more than 6 years ago (3 December 2020): check"),
    (None, "2020-12-02", "The leaving date cannot be more than 6 years ago"),
    (dt.date(2021, 9, 2), "2021-09-01", "The leaving date cannot be before they started (2 September 2021, on their"),
    (None, "2026-11-30", "The leaving date cannot be before their account was made (1 December 2026). If they left"),
])  # fmt: skip
def test_a_leaving_date_that_cannot_be_right_is_refused_and_changes_nothing(client, admin, olwen, started, left_on,
                                                                            message):  # fmt: skip
    """The nightly job anonymises a leaver for good once the leavers' period has passed: a mistyped year would
    have them anonymised that night."""
    User.objects.filter(pk=olwen.user.pk).update(date_joined=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    _started(olwen.user, started)
    client.force_login(admin)
    response = client.post(reverse("privacy:leave", args=[olwen.user.pk]), {"left_on": left_on})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'href="#id_left_on"' in response.content.decode()
    user = User.objects.get(pk=olwen.user.pk)
    assert user.is_active and user.left_on is None


@time_machine.travel(dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC))
def test_a_leaver_past_the_period_already_is_told_it_happens_tonight(client, admin, olwen):
    _started(olwen.user, dt.date(2015, 1, 5))
    client.force_login(admin)
    response = client.post(reverse("privacy:leave", args=[olwen.user.pk]), {"left_on": "2023-06-30"}, follow=True)
    assert "The retention job will anonymise them at its next nightly run (02:30), 24 months after they left" in (
        response.content.decode()
    )
