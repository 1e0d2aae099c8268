from django.conf import settings
from django.db import models

DEFAULT_NAME = "Workforce Portal"
DEFAULT_ACCENT = "#1d70b8"


class Branding(models.Model):
    """The partnership's name, accent colour and logo, set by an administrator: one row, or none for defaults.
    The logo is kept in the database (small, public, shown on every page) rather than in the private media."""

    name = models.CharField("portal name", max_length=80, default=DEFAULT_NAME)
    accent = models.CharField("accent colour", max_length=7, default=DEFAULT_ACCENT)
    logo = models.BinaryField(blank=True, default=b"")
    logo_type = models.CharField(max_length=20, blank=True)
    logo_alt = models.CharField("logo description", max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    def __str__(self) -> str:
        return self.name
