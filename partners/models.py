"""The partnership's structure: sectors and partner organisations.

Governance bodies (Board, Workforce Strategy Group, …) and their memberships live here too.
"""

from django.db import models


class Sector(models.Model):
    """One of the partnership's eight sectors (Social Care, Health, Schools, …)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Type(models.TextChoices):
        STATUTORY = "statutory", "Statutory"
        VOLUNTARY = "voluntary", "Voluntary or community"
        PVI = "pvi", "Private, voluntary and independent (PVI)"
        COMMISSIONED = "commissioned", "Commissioned provider"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="organisations")
    org_type = models.CharField("type", max_length=20, choices=Type.choices)
    address = models.TextField(blank=True)
    website = models.URLField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
