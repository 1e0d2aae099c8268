import pytest
from django.core import mail
from django.urls import reverse

from core.roles import Role

pytestmark = pytest.mark.django_db

HOME_HEADINGS = {
    Role.PRACTITIONER: "Your training, what is due",
    Role.LINE_MANAGER: "Your team's bookings waiting for approval",
    Role.TRAINING_COORDINATOR: "Courses, sessions, registers",
    Role.STRATEGY_GROUP_MEMBER: "The workforce strategy action plan",
    Role.BOARD_MEMBER: "Quarterly progress reports",
    Role.ADMINISTRATOR: "Run the portal",
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home_page(client, make_user, password, role):
    user = make_user(role)
    response = client.post(reverse("login"), {"username": user.email, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert HOME_HEADINGS[role] in response.content.decode()
    assert f"Signed in as: {role.value}" in response.content.decode()


def test_sign_in_is_case_insensitive_on_email(client, make_user, password):
    user = make_user(Role.PRACTITIONER, email="Jo.Bloggs@Example.org")
    response = client.post(reverse("login"), {"username": "JO.BLOGGS@example.org", "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize("which", ["wrong password", "unknown email"])
def test_bad_sign_in_never_says_which_half_was_wrong(client, make_user, which):
    user = make_user(Role.PRACTITIONER)
    email = user.email if which == "wrong password" else "nobody@example.org"
    response = client.post(reverse("login"), {"username": email, "password": "not-the-password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The email address or password is not right" in page
    assert 'id="error-summary"' in page
    assert "_auth_user_id" not in client.session


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_out_ends_the_session(client, make_user):
    client.force_login(make_user(Role.PRACTITIONER))
    client.post(reverse("logout"))
    assert client.get(reverse("portal:home")).status_code == 302


def test_password_reset_emails_a_working_link(client, make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.PRACTITIONER)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": user.email.upper()})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")


def test_a_deactivated_account_gets_no_reset_link(client, make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.PRACTITIONER, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    assert mail.outbox == []


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_my_account_updates_details_and_shows_errors_next_to_fields(client, make_user):
    user = make_user(Role.PRACTITIONER)
    client.force_login(user)
    bad = client.post(reverse("workforce:account"), {"first_name": "", "last_name": "Smith", "phone": ""})
    assert 'href="#id_first_name"' in bad.content.decode()
    user.refresh_from_db()
    assert user.last_name != "Smith" or user.first_name
    good = client.post(
        reverse("workforce:account"), {"first_name": "Jo", "last_name": "Smith", "phone": "0113 496 0000"}, follow=True
    )
    assert "Your details are saved." in good.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.phone) == ("Jo", "Smith", "0113 496 0000")


def test_unknown_page_is_friendly_404(client, make_user):
    client.force_login(make_user(Role.PRACTITIONER))
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_accessibility_statement_is_public(client):
    response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    assert "WCAG" in response.content.decode()


def test_privacy_notice_is_public_and_linked_from_every_page(client):
    response = client.get(reverse("portal:privacy"))
    assert response.status_code == 200
    assert "UK GDPR" in response.content.decode()
    assert reverse("portal:privacy") in client.get(reverse("login")).content.decode()


def test_the_privacy_notice_names_the_dpo_the_ico_and_external_representatives(client, settings):
    """UK GDPR Art. 13(1)(b) (the DPO's contact details) and 13(2)(d) (the right to complain to the ICO); the
    notice also speaks to governance members from outside the partnership, who have no account."""
    settings.DPO_EMAIL = "data.protection@council.example"
    settings.DPO_ADDRESS = "Data Protection Officer, Council House, Exampleton EX9 9XX"
    page = client.get(reverse("portal:privacy")).content.decode()
    assert '<a href="mailto:data.protection@council.example">data.protection@council.example</a>' in page
    assert "Council House, Exampleton EX9 9XX" in page
    assert '<a href="https://ico.org.uk/make-a-complaint/">' in page
    assert "represent organisations outside the partnership and have no account" in page
    assert "removed 12 months after their seat ends" in page


def test_the_privacy_notice_says_1_month_not_1_months(client):
    page = client.get(reverse("portal:privacy")).content.decode()
    assert "<td>1 month</td>" in page  # uploaded files' default
    assert "1 months" not in page
    assert "<td>24 months</td>" in page


def test_the_accessibility_statement_gives_a_contact_and_the_enforcement_route(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@council.example"
    page = client.get(reverse("portal:accessibility")).content.decode()
    assert '<a href="mailto:access@council.example">access@council.example</a>' in page
    assert "(No. 2) Accessibility Regulations 2018" in page
    assert "Equality Advisory and Support Service (EASS)" in page
