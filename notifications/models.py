"""What the portal told whom, and what people asked not to be told: a Notification is one email to one
person, its NotificationItems what it was about. The once-only keys: docs/notifications.md."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    DEADLINE_REMINDER = "deadline_reminder", "Deadline reminder"
    SESSION_REMINDER = "session_reminder", "Session reminder"
    REFRESHER_REMINDER = "refresher_reminder", "Refresher reminder"
    EVALUATION_REQUEST = "evaluation_request", "Evaluation request"
    REPORT_READY = "report_ready", "Board report ready"


# Deadline reminders to leads are how the partnership keeps its plan on time: nobody can switch them off.
ESSENTIAL_KINDS = frozenset({Kind.DEADLINE_REMINDER})
OPTIONAL_KINDS = [k for k in Kind if k not in ESSENTIAL_KINDS]


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Not sent (switched off)"
        SKIPPED = "skipped", "Not sent (no longer applies)"

    Kind = Kind

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    cc = models.JSONField(default=list, blank=True, help_text="Addresses copied in (a line manager).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    dedupe_key = models.CharField(max_length=255, unique=True, editable=False)
    for_date = models.DateField(help_text="The day the reminder was for (the sweep's day).")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When its send task was last queued.")
    sending_started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}: {self.subject}"

    @property
    def message_id(self) -> str:
        """A stable Message-ID: should the crash window ever send a notification twice, mail clients
        and servers that de-duplicate by Message-ID show it once."""
        return f"<notification-{self.pk}@workforce-portal>"


class NotificationItem(models.Model):
    """One thing a notification was about, and why it was sent that day."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=255, unique=True, editable=False)
    item_type = models.CharField(max_length=30)  # action, milestone, session, requirement, booking, report
    item_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=400)
    url = models.CharField(max_length=400, blank=True)
    due_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=100, help_text='e.g. "due in 14 days", "overdue", "escalated to chair".')
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["notification", "order", "id"]
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self) -> str:
        return f"{self.label} ({self.reason})"


class NotificationPreference(models.Model):
    """A person's choice for one optional kind. No row: the kind is on."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=[(k.value, k.label) for k in OPTIONAL_KINDS])
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {'on' if self.enabled else 'off'}"
