"""Data protection: retention periods, the retention job's run log, and the record of requests
(exports and anonymisations) made about people. None of these rows holds personal data itself."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class RetentionKind(models.TextChoices):
    LEAVER_ACCOUNTS = "leaver_accounts", "Leavers' accounts (anonymised after leaving)"
    SIGN_IN_ATTEMPTS = "sign_in_attempts", "Sign-in attempts and sign-in log (deleted)"
    NOTIFICATIONS = "notifications", "Notifications sent (deleted)"
    IMPORT_FILES = "import_files", "Uploaded staff and action-plan files (contents removed)"
    EVALUATION_COMMENTS = "evaluation_comments", "Evaluation comments (removed; ratings kept)"
    EXTERNAL_MEMBERS = "external_members", "External governance members' contact details (after their seat ends)"


# Defaults in months, and the shortest an administrator may set (docs/privacy.md says why; notifications:
# the once-only reminder keys must outlive the reminder windows, which reach 60 days back).
RETENTION_DEFAULTS = {
    RetentionKind.LEAVER_ACCOUNTS: 24,
    RetentionKind.SIGN_IN_ATTEMPTS: 3,
    RetentionKind.NOTIFICATIONS: 12,
    RetentionKind.IMPORT_FILES: 1,
    RetentionKind.EVALUATION_COMMENTS: 24,
    RetentionKind.EXTERNAL_MEMBERS: 12,
}
RETENTION_MINIMUM = {kind: 1 for kind in RetentionKind} | {RetentionKind.NOTIFICATIONS: 3}
RETENTION_MAXIMUM = 120


class RetentionPolicy(models.Model):
    """How long one kind of record is kept, in months. No row: the default applies."""

    kind = models.CharField(max_length=30, choices=RetentionKind.choices, unique=True)
    months = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(RETENTION_MAXIMUM)])
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "retention policies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months__gte=1) & models.Q(months__lte=RETENTION_MAXIMUM),
                name="retention_months_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.months} months"


class RetentionRun(models.Model):
    """One run of the retention job: what it anonymised or deleted, per kind of record."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed (nothing was changed)"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        ADMINISTRATOR = "administrator", "An administrator"

    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=15, choices=Trigger.choices, default=Trigger.SCHEDULE)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # [{"kind", "label", "months", "cutoff", "action", "count"}] in the order the steps ran.
    results = models.JSONField(default=list)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%d %b %Y %H:%M} ({self.get_status_display()})"

    @property
    def total(self) -> int:
        return sum(step.get("count", 0) for step in self.results)


class DataRequest(models.Model):
    """A data-protection request carried out about a person: an export or an anonymisation. Kept
    without any of the person's details (the account it points to is the placeholder once anonymised)."""

    class Kind(models.TextChoices):
        EXPORT_JSON = "export_json", "Exported their data (JSON)"
        EXPORT_PDF = "export_pdf", "Exported their data (PDF)"
        ANONYMISE = "anonymise", "Anonymised"

    kind = models.CharField(max_length=15, choices=Kind.choices)
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty: the retention job.",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now, db_index=True)
    details = models.JSONField(default=dict, help_text="Counts of what was exported or changed, per table.")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: account {self.subject_id} ({self.at:%d %b %Y %H:%M})"
