"""The partnership's branding: read on every page (cached until an administrator changes it), and changed."""

import colorsys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from core.caching import cache_namespace_bump, cached_in
from core.colours import AA_TEXT, contrast_ratio, hex_to_rgb

if TYPE_CHECKING:
    from workforce.models import User

from .models import DEFAULT_ACCENT, DEFAULT_NAME, Branding

NAMESPACE = "branding"
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
LOGO_MAX_BYTES = 200 * 1024


@dataclass(frozen=True, kw_only=True)
class Look:
    name: str
    accent: str
    accent_dark: str
    has_logo: bool
    logo_alt: str
    version: str  # changes whenever the branding does: part of the stylesheet's and logo's URLs


def accent_problem(accent: str) -> str:
    """Why this accent colour cannot be used ("" if it can): links and button text must reach 4.5:1 on white."""
    try:
        ratio = contrast_ratio(accent, "#ffffff")
    except ValueError:
        return "Enter a colour as # and six hexadecimal digits, like #1d70b8."
    if ratio < AA_TEXT:
        return (f"This colour has a contrast of {ratio:.2f}:1 against white; links and button text need at least "
                f"{AA_TEXT}:1. Choose a darker colour.")
    return ""


def _darker(accent: str) -> str:
    """The hover and pressed shade: the same hue, 45 % less light (always darker, so contrast only rises)."""
    r, g, b = (c / 255 for c in hex_to_rgb(accent))
    hue, light, sat = colorsys.rgb_to_hls(r, g, b)
    r, g, b = colorsys.hls_to_rgb(hue, light * 0.55, sat)
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in (r, g, b)))


def _look() -> Look:
    row = Branding.objects.defer("logo").first()
    if row is None:
        return Look(name=DEFAULT_NAME, accent=DEFAULT_ACCENT, accent_dark=_darker(DEFAULT_ACCENT), has_logo=False,
                    logo_alt="", version="default")
    return Look(name=row.name, accent=row.accent, accent_dark=_darker(row.accent), has_logo=bool(row.logo_type),
                logo_alt=row.logo_alt, version=f"{row.updated_at.timestamp():.0f}")


def branding_current() -> Look:
    look: Look = cached_in(NAMESPACE, "branding:look", _look)
    return look


def branding_logo() -> tuple[bytes, str] | None:
    row = Branding.objects.only("logo", "logo_type").first()
    if row is None or not row.logo_type:
        return None
    return bytes(row.logo), row.logo_type


def logo_problem(data: bytes) -> tuple[str, str]:
    """(content type, "") for a PNG or JPEG logo within the size, else ("", why not)."""
    from io import BytesIO

    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        return "", f"The logo must be {LOGO_MAX_BYTES // 1024} KB or smaller; this file is {len(data) // 1024} KB."
    try:
        with Image.open(BytesIO(data)) as image:
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError):
        return "", "The logo must be a PNG or JPEG image; this file is not one."
    if kind not in LOGO_TYPES:
        return "", "The logo must be a PNG or JPEG image."
    return LOGO_TYPES[kind], ""


@transaction.atomic
def branding_update(*, name: str, accent: str, logo: bytes | None, logo_alt: str, remove_logo: bool,
                    by: "User | None") -> Branding:
    """Save the branding (the form has checked it; the colour and logo are checked again here)."""
    if problem := accent_problem(accent):
        raise ValidationError({"accent": problem})
    row = Branding.objects.select_for_update().first() or Branding()
    row.name, row.accent, row.logo_alt, row.updated_by = name.strip(), accent.lower(), logo_alt.strip(), by
    if logo:
        content_type, problem = logo_problem(logo)
        if problem:
            raise ValidationError({"logo": problem})
        row.logo, row.logo_type = logo, content_type
    elif remove_logo:
        row.logo, row.logo_type, row.logo_alt = b"", "", ""
    row.save()
    cache_namespace_bump(NAMESPACE)
    return row
