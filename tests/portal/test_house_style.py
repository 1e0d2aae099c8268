"""The house style reaches every page (theme, skip link, titles "Page – Service", a focusable live region for
messages) and the accessibility statement has the sections the 2018 regulations' model statement asks for."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core.roles import Role


def test_every_page_carries_the_theme_the_skip_link_and_a_page_service_title(client, make_user, password):
    user = make_user(Role.PRACTITIONER, first_name="Priya")
    client.login(email=user.email, password=password)
    page = client.get(reverse("portal:home")).content.decode()
    assert "portal/theme.css" in page
    assert page.index("portal/theme.css") > page.index("bootstrap.min.css")  # the theme overrides Bootstrap
    assert '<a class="skip-link visually-hidden-focusable" href="#main-content">Skip to main content</a>' in page
    assert "<title>Home – Workforce Portal</title>" in page


def test_a_message_after_a_post_is_a_focusable_live_region(client, make_user, password):
    user = make_user(Role.PRACTITIONER)
    client.login(email=user.email, password=password)
    assert 'id="portal-messages"' not in client.get("/").content.decode()
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Your booking is confirmed.")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get("/").content.decode()
    assert '<div class="messages" role="status" id="portal-messages" tabindex="-1">' in page
    assert "Your booking is confirmed." in page


@pytest.mark.django_db  # every page reads the partnership's branding
def test_the_accessibility_statement_is_in_the_regulations_form(client):
    page = client.get(reverse("portal:accessibility")).content.decode()
    for heading in ("How accessible this portal is", "Feedback and contact information",
                    "Reporting accessibility problems with this portal", "Enforcement procedure",
                    "Technical information about this portal&#x27;s accessibility", "Compliance status",
                    "Non-accessible content", "Non-compliance with the accessibility regulations",
                    "Disproportionate burden", "Preparation of this accessibility statement"):
        assert heading in page or heading.replace("&#x27;", "'") in page, heading
    assert "partially compliant" in page
    assert "2.2.1 (Timing adjustable)" in page  # the known exception: no warning before a session ends
    assert "keyboard only" in page  # the manual checks done
