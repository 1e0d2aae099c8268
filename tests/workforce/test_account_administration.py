"""Administration of accounts in the portal: an administrator invites a person (who chooses a password from the
email), gives and takes away roles, deactivates and reactivates; each change is in the account's history with
who did it. Only administrators see these pages."""

import pytest
from django.core import mail
from django.test import Client

from core.roles import Role, roles_of
from tests.partners.factories import OrganisationFactory
from workforce.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(Role.ADMINISTRATOR, first_name="Adam", last_name="Admin")
    client.force_login(admin)
    client.admin = admin
    return client


def _invite(client, captured, **extra):
    data = {"email": "Nia.New@Council.example", "first_name": "Nia", "last_name": "New",
            "organisation": OrganisationFactory(name="Northfield Primary").pk,
            "roles": ["Practitioner", "Line manager"], **extra}  # fmt: skip
    with captured(execute=True):
        return client.post("/people/accounts/invite/", data, follow=True)


def _link(message) -> str:
    line = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    return "/" + line.split("://", 1)[1].split("/", 1)[1]


def test_an_invited_person_chooses_a_password_and_signs_in_with_the_roles_given(
    admin_client, django_capture_on_commit_callbacks
):
    page = _invite(admin_client, django_capture_on_commit_callbacks)
    assert "Nia New is invited: an email with a link to choose a password is on its way." in page.content.decode()
    person = User.objects.get(email="nia.new@council.example")
    assert roles_of(person) == {Role.PRACTITIONER, Role.LINE_MANAGER}
    assert person.profile.organisation.name == "Northfield Primary"
    assert not person.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nia.new@council.example"]
    assert "Adam Admin has invited you" in mail.outbox[0].body
    visitor = Client()
    form_page = visitor.get(_link(mail.outbox[0]), follow=True)
    visitor.post(form_page.redirect_chain[-1][0],
                 {"new_password1": "my-first-passphrase", "new_password2": "my-first-passphrase"})  # fmt: skip
    assert visitor.login(username="nia.new@council.example", password="my-first-passphrase")
    history = admin_client.get(f"/people/accounts/{person.pk}/").content.decode()
    assert "Invited with the roles Line manager, Practitioner" in history
    assert "Adam Admin" in history


def test_an_address_that_has_an_account_is_refused_next_to_the_field_and_nothing_is_sent(
    admin_client, make_user, django_capture_on_commit_callbacks
):
    make_user(email="nia.new@council.example")
    page = _invite(admin_client, django_capture_on_commit_callbacks)
    html = page.content.decode()
    assert "This email address already has an account" in html
    assert "<title>Error: Invite a person – Workforce Portal</title>" in html
    assert User.objects.filter(email="nia.new@council.example").count() == 1
    assert mail.outbox == []


def test_an_invitation_is_sent_again_until_it_is_taken_up(admin_client, django_capture_on_commit_callbacks):
    _invite(admin_client, django_capture_on_commit_callbacks)
    person = User.objects.get(email="nia.new@council.example")
    home = admin_client.get("/").content.decode()
    assert '<strong class="tag tag-yellow">1 waiting</strong>' in home
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(f"/people/accounts/{person.pk}/invitation/", follow=True)
    assert "The invitation is sent again to Nia New, with a new link." in page.content.decode()
    assert len(mail.outbox) == 2
    User.objects.filter(pk=person.pk).update(password="x", last_login="2026-12-01T10:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        page = admin_client.post(f"/people/accounts/{person.pk}/invitation/", follow=True)
    assert "has already signed in, so there is no invitation to send again" in page.content.decode()
    assert len(mail.outbox) == 2


def test_roles_are_given_and_taken_away_with_who_and_when_in_the_history(admin_client, make_user):
    person = make_user(Role.PRACTITIONER, first_name="Tom", last_name="Team")
    page = admin_client.post(f"/people/accounts/{person.pk}/roles/", {"role": "Training coordinator"}, follow=True)
    assert "Tom Team now has the role Training coordinator." in page.content.decode()
    assert roles_of(User.objects.get(pk=person.pk)) == {Role.PRACTITIONER, Role.TRAINING_COORDINATOR}
    page = admin_client.post(f"/people/accounts/{person.pk}/roles/practitioner/remove/", follow=True)
    assert "Tom Team no longer has the role Practitioner." in page.content.decode()
    assert roles_of(User.objects.get(pk=person.pk)) == {Role.TRAINING_COORDINATOR}
    record = User.history.filter(id=person.pk).latest("history_date")
    assert (record.history_change_reason, record.history_user) == ("Role taken away: Practitioner", admin_client.admin)
    # The only role stays until another is given; an administrator keeps their own Administrator role.
    page = admin_client.post(f"/people/accounts/{person.pk}/roles/training-coordinator/remove/", follow=True)
    assert "is Tom Team&#x27;s only role" in page.content.decode()
    admin = admin_client.admin
    admin_client.post(f"/people/accounts/{admin.pk}/roles/", {"role": "Board member"})
    page = admin_client.post(f"/people/accounts/{admin.pk}/roles/administrator/remove/", follow=True)
    assert "You cannot take away your own Administrator role" in page.content.decode()
    assert Role.ADMINISTRATOR in roles_of(User.objects.get(pk=admin.pk))


def test_a_deactivated_person_cannot_sign_in_until_reactivated(admin_client, make_user, password):
    person = make_user(Role.PRACTITIONER, first_name="Dee", last_name="Active")
    page = admin_client.post(f"/people/accounts/{person.pk}/deactivate/", follow=True)
    assert "Dee Active&#x27;s account is deactivated: they can no longer sign in." in page.content.decode()
    assert not Client().login(username=person.email, password=password)
    listing = admin_client.get("/people/accounts/?state=deactivated").content.decode()
    assert "Dee Active" in listing and '<strong class="tag tag-grey">Deactivated</strong>' in listing
    admin_client.post(f"/people/accounts/{person.pk}/reactivate/")
    assert Client().login(username=person.email, password=password)
    reasons = list(User.history.filter(id=person.pk).order_by("history_date").values_list("history_change_reason",
                                                                                          flat=True))  # fmt: skip
    assert reasons[-2:] == ["Deactivated", "Reactivated"]
    page = admin_client.post(f"/people/accounts/{admin_client.admin.pk}/deactivate/", follow=True)
    assert "You cannot deactivate your own account." in page.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_reach_the_pages(client, make_user, role):
    person = make_user(Role.PRACTITIONER)
    client.force_login(make_user(role))
    for path in ("/people/accounts/", "/people/accounts/invite/", f"/people/accounts/{person.pk}/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/people/accounts/{person.pk}/deactivate/").status_code == 404
    assert User.objects.get(pk=person.pk).is_active


def test_the_list_finds_people_and_says_each_ones_status(admin_client, make_user):
    make_user(Role.BOARD_MEMBER, first_name="Bea", last_name="Board", email="bea@council.example")
    make_user(Role.PRACTITIONER, first_name="Pat", last_name="Other")
    html = admin_client.get("/people/accounts/?q=bea").content.decode()
    assert "Bea Board" in html and "Board member" in html and "Pat Other" not in html
    assert '<strong class="tag tag-green">Active</strong>' in html
