"""An administrator sets the partnership's name, accent colour and logo; every page shows them."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from core.roles import Role
from portal.models import Branding

pytestmark = pytest.mark.django_db


def _png(size=(120, 40)) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, (0, 80, 60)).save(data, format="PNG")
    data.seek(0)
    data.name = "logo.png"
    return data


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    return client


def test_defaults_until_an_administrator_sets_them(client):
    page = client.get(reverse("login")).content.decode()
    assert "<title>Sign in – Workforce Portal</title>" in page
    css = client.get(reverse("portal:branding_css")).content.decode()
    assert "--portal-accent: #1d70b8;" in css


def test_the_name_colour_and_logo_show_on_every_page(admin_client, client):
    response = admin_client.post(reverse("portal:branding"), {
        "name": "Leeds Children's Workforce Portal", "accent": "#00703C", "logo": _png(),
        "logo_alt": "Leeds Children and Families Partnership"}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "every page shows them now" in page
    assert "Leeds Children&#x27;s Workforce Portal</a>" in page  # the header
    look = Branding.objects.get()
    assert look.accent == "#00703c" and look.logo_type == "image/png"

    client.logout()
    signin = client.get(reverse("login")).content.decode()
    assert "<title>Sign in – Leeds Children&#x27;s Workforce Portal</title>" in signin
    assert 'alt="Leeds Children and Families Partnership"' in signin
    css_url = next(part.split('"')[0] for part in signin.split('href="')[1:] if part.startswith("/branding.css"))
    css = client.get(css_url)
    assert "--portal-accent: #00703c;" in css.content.decode()
    assert "immutable" in css["Cache-Control"]
    logo = client.get(reverse("portal:branding_logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_a_colour_without_enough_contrast_is_refused_and_nothing_changes(admin_client):
    response = admin_client.post(reverse("portal:branding"), {"name": "Our Portal", "accent": "#ffdd00"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This colour has a contrast of 1.3" in page and "at least 4.5:1" in page
    assert not Branding.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(admin_client):
    fake = io.BytesIO(b"<svg onload='alert(1)'></svg>")
    fake.name = "logo.png"
    response = admin_client.post(reverse("portal:branding"), {"name": "Our Portal", "accent": "#1d70b8",
                                                                "logo": fake, "logo_alt": "Us"})  # fmt: skip
    assert "The logo must be a PNG or JPEG image" in response.content.decode()
    assert not Branding.objects.exists()


def test_a_logo_needs_a_description(admin_client):
    response = admin_client.post(reverse("portal:branding"), {"name": "Our Portal", "accent": "#1d70b8",
                                                                "logo": _png()})  # fmt: skip
    assert "Say what the logo shows" in response.content.decode()
    assert not Branding.objects.exists()


def test_only_administrators_change_the_branding(client, make_user):
    client.force_login(make_user(Role.TRAINING_COORDINATOR))
    assert client.get(reverse("portal:branding")).status_code == 404
    assert client.post(reverse("portal:branding"), {"name": "Mine", "accent": "#000000"}).status_code == 404
    assert not Branding.objects.exists()
