"""The people: the user model (sign-in by email) and each person's staff profile."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


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

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


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

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(cts_band__gte=1), name="staffprofile_band_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "cts_band"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.job_title or 'no job title'})"
