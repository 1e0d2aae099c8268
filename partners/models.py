"""The partnership's structure: sectors, partner organisations, governance bodies and their memberships."""

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


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


class GovernanceBody(models.Model):
    """A body of the partnership's governance: the Board, the Workforce Strategy Group, the Safeguarding
    Children Board, the Senior Officers' Group. Bodies come and go, so each has start and end dates."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    purpose = models.TextField(blank=True)
    reports_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reporting_bodies"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while the body meets.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "governance bodies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="governancebody_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class GovernanceMembership(models.Model):
    """A seat on a governance body for a term. The member is a portal user or a named external
    representative (name, job title, email, phone) — exactly one of the two."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_memberships",
        help_text="A portal user. Leave empty for an external representative.",
    )
    external_name = models.CharField("name (external representative)", max_length=200, blank=True)
    external_job_title = models.CharField("job title (external representative)", max_length=200, blank=True)
    external_email = models.EmailField("email (external representative)", blank=True)
    external_phone = models.CharField("phone (external representative)", max_length=40, blank=True)
    role = models.CharField(max_length=100, default="Member", help_text="e.g. Chair, Vice-chair, Member.")
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="governance_memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="governance_memberships"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while the term runs.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "sector__order", "role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(external_name=""))
                | (models.Q(user__isnull=True) & ~models.Q(external_name="")),
                name="membership_user_or_external",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_name}, {self.role}, {self.body}"

    @property
    def is_external(self) -> bool:
        return self.user_id is None

    @property
    def member_name(self) -> str:
        return self.external_name if self.is_external else str(self.user)

    def is_current_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
