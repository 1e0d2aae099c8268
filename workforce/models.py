"""The people: the user model (sign-in by email) and each person's staff profile."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class AccountHistory(HistoricalRecords):
    """History of accounts that skips saves touching only excluded fields: a sign-in writes `last_login`
    and is not a change to the person's record (the sign-in itself is in django-axes' access log)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        """Roles changed from the group's side (`group.user_set.add(...)`) are recorded on each account
        they changed; django-simple-history only follows the account's side."""
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action in ("post_add", "post_remove") and pk_set:
            for user in self.cls._default_manager.filter(pk__in=pk_set):
                super().m2m_changed(user, action, attr, None, False, **kwargs)
        return None


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Can sign in to the Django admin site."
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    left_on = models.DateField(
        "left on", null=True, blank=True, help_text="The day the person left; their account is closed from then."
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who changed a person's name, contact details, sign-in status or roles, and when. Never the password.
    history = AccountHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # One spelling per address, whoever writes it (the admin, a form, a service): sign-in, the staff
        # import and the uniqueness check all compare lower-case addresses.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class StaffProfile(models.Model):
    """What the partnership knows about a person as a member of the one children's workforce."""

    class Workforce(models.TextChoices):
        CORE = "core", "Core (works with children all the time)"
        WIDER = "wider", "Wider (works with children part of the time)"

    class ServiceTier(models.TextChoices):
        UNIVERSAL = "universal", "Universal"
        TARGETED = "targeted", "Targeted"
        SPECIALIST = "specialist", "Specialist"

    class Employment(models.TextChoices):
        PAID = "paid", "Paid"
        VOLUNTEER = "volunteer", "Volunteer"

    class Hours(models.TextChoices):
        FULL_TIME = "full", "Full time"
        PART_TIME = "part", "Part time"

    user = models.OneToOneField("workforce.User", on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    employee_ref = models.CharField("HR reference", max_length=50, blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    workforce = models.CharField(max_length=10, choices=Workforce.choices, default=Workforce.CORE)
    service_tier = models.CharField(max_length=12, choices=ServiceTier.choices, default=ServiceTier.UNIVERSAL)
    cts_band = models.PositiveSmallIntegerField(
        "Core Training Standard band",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="The band of the current Core Training Standard this person's role falls in.",
    )
    line_manager = models.ForeignKey(
        "workforce.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="direct_reports"
    )
    employment = models.CharField(max_length=10, choices=Employment.choices, default=Employment.PAID)
    hours = models.CharField(max_length=4, choices=Hours.choices, default=Hours.FULL_TIME)
    start_date = models.DateField(null=True, blank=True)
    is_organisation_lead = models.BooleanField(
        default=False, help_text="Sees and manages the people of their organisation."
    )
    history = HistoricalRecords()
    # Not a field: the designated roles a move of organisation ended (set by services.staff_profile_update).
    ended_roles: "list[DesignatedRole]"

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(cts_band__gte=1), name="staffprofile_band_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "cts_band"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title or 'no job title'})"


# The bands of the Core Training Standard a person's role can fall in (DOMAIN.md's default). The import
# refuses any other band; the training app describes what each band asks for.
CTS_BANDS = {
    1: "Whole workforce, including no direct contact",
    2: "Occasional or minimal direct contact",
    3: "Regular direct contact",
    4: "Intensive direct contact, specialist and case-holding roles, and their managers",
}


class DesignatedRole(models.Model):
    """A designated post a person holds for a time, in an organisation: the partnership must be able to
    list who holds them and where nobody does (e.g. an early-years setting with no Designated
    Safeguarding Officer)."""

    class Kind(models.TextChoices):
        SAFEGUARDING_OFFICER = "dso", "Designated Safeguarding Officer"
        LEAD_PROFESSIONAL = "lead_professional", "Lead Professional"
        KEY_WORKER = "key_worker", "Key Worker"
        PARTICIPATION_CHAMPION = "participation_champion", "Participation Champion"
        ACCREDITED_PRACTITIONER = "accredited_practitioner", "Accredited Practitioner"
        TRAINER = "trainer", "Trainer"

    person = models.ForeignKey("workforce.User", on_delete=models.CASCADE, related_name="designated_roles")
    kind = models.CharField("role", max_length=30, choices=Kind.choices)
    organisation = models.ForeignKey(
        "partners.Organisation", on_delete=models.PROTECT, related_name="designated_roles"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while the person holds the role.")
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="designatedrole_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "organisation", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person} ({self.organisation})"

    def is_current_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class ImportBatch(models.Model):
    """One staff file uploaded for import. The preview keeps the file's validated rows here, so confirming
    does not need the file again; confirming applies them in one transaction."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        INVALID = "invalid", "Has errors"
        CONFIRMED = "confirmed", "Imported"

    uploaded_by = models.ForeignKey("workforce.User", on_delete=models.PROTECT, related_name="import_batches")
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_batches",
        help_text="The organisation a lead imported for; empty when an administrator imported for any.",
    )
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices)
    rows = models.JSONField(default=list, help_text="The file's rows as read, one dict per row.")
    summary = models.JSONField(default=dict, help_text="Counts of new, updated, unchanged and bad rows.")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()}, {self.created_at:%d %b %Y %H:%M})"
