"""The action plan: strategies, themes, actions with leads, milestones, status updates with evidence.
Status is the latest append-only update (copied onto the action); overdue is derived, never stored (docs/actions.md)."""

import re
import uuid
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200, unique=True)
    period_start = models.DateField("period starts")
    period_end = models.DateField("period ends")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["-period_start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="strategy_one_active"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="strategy_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED


class Theme(models.Model):
    """An aim of the strategy ("A confident and competent workforce"), shown in `order`."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField(max_length=10, help_text='Short code, e.g. "1" or "A".')
    title = models.CharField(max_length=200)
    aim = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="theme_code_unique_in_strategy")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


def code_sort_key(code: str) -> str:
    """"2.10" sorts after "2.9": numbers are zero-padded, everything else kept."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), code.strip().lower())[:100]


class Status(models.TextChoices):
    """What a status update says, and therefore an action's current status."""

    NOT_STARTED = "none", "No update yet"
    GREEN = "green", "Green – on track"
    AMBER = "amber", "Amber – at risk"
    RED = "red", "Red – off track"
    COMPLETED = "completed", "Completed"
    DROPPED = "dropped", "Dropped"


CLOSED_STATUSES = (Status.COMPLETED, Status.DROPPED)
# The statuses an update may set (an update cannot say "no update yet").
UPDATE_STATUSES = [(s.value, s.label) for s in Status if s != Status.NOT_STARTED]


class Action(models.Model):
    Status = Status

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="actions")
    code = models.CharField(max_length=20, help_text='e.g. "2.3"')
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="actions_led", blank=True)
    leading_body = models.ForeignKey(
        "partners.GovernanceBody", on_delete=models.PROTECT, null=True, blank=True, related_name="actions_led",
        verbose_name="leading group", help_text="Optional: the governance body that leads, with the named people.",
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, db_index=True)
    timescale = models.CharField(
        max_length=200, blank=True, help_text='As the plan says it, e.g. "On-going" or "July 2010 & October 2010".'
    )
    priorities = models.CharField(
        "plan priorities", max_length=100, blank=True, help_text='Codes in the partnership plan, e.g. "4a, 4c".'
    )
    performance_measures = models.TextField(blank=True)

    # Copied from the latest StatusUpdate by services.action_status_update (never edited directly).
    current_status = models.CharField(max_length=10, choices=Status.choices, default=Status.NOT_STARTED, editable=False)
    percent_complete = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)], editable=False)
    status_updated_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(
        m2m_fields=[leads], excluded_fields=["sort_key", "current_status", "percent_complete", "status_updated_at"]
    )

    class Meta:
        ordering = ["strategy", "theme__order", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="action_code_unique_in_strategy"),
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="action_percent_max_100"),
        ]
        indexes = [models.Index(fields=["strategy", "current_status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_key = code_sort_key(self.code)
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.current_status in CLOSED_STATUSES

    def is_overdue_on(self, day: date) -> bool:
        return self.due_date is not None and self.due_date < day and not self.is_closed

    @property
    def is_overdue(self) -> bool:
        """Overdue today (Europe/London). Lists use the `overdue` annotation from selectors instead."""
        annotated = getattr(self, "overdue", None)
        if annotated is not None:
            return bool(annotated)
        return self.is_overdue_on(timezone.localdate())


class ExternalLead(models.Model):
    """A lead named in an imported plan who has no account (a role, a person or a body outside the portal)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="external_leads")
    name = models.CharField(max_length=200, help_text="A name or a role, as the plan writes it.")
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    done_date = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", models.F("due_date").asc(nulls_last=True), "id"]

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, day: date) -> bool:
        return self.done_date is None and self.due_date is not None and self.due_date < day


class StatusUpdate(models.Model):
    """A dated statement of progress. Append-only: no view, service or admin edits or deletes one."""

    # PROTECT: an action (or strategy) whose progress has been reported cannot be deleted, even in the admin;
    # an action that will not happen is dropped with a dated update instead, so its history is never lost.
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=10, choices=UPDATE_STATUSES)
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    commentary = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    imported_from = models.CharField(max_length=200, blank=True, help_text="The plan file this update came from.")

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_complete__lte=100), name="update_percent_max_100"),
        ]
        indexes = [models.Index(fields=["action", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action.code}: {self.get_status_display()} ({self.created_at:%d %b %Y})"

    @property
    def rag_class(self) -> str:
        return self.status


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """A private path with a random name: the original name is kept on the row, never in the path."""
    suffix = PurePath(filename).suffix.lower()
    return f"private/actions/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file or a link attached to a status update. Files are served only through `actions:evidence`."""

    update = models.ForeignKey(StatusUpdate, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField("link", max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url="")) | (~models.Q(file="") & models.Q(url="")),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.url

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class PlanImport(models.Model):
    """A parsed spreadsheet waiting for confirmation. The rows are kept here so confirming does not
    upload the file again; `applied_at` is set once, when the rows are written."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    errors = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.strategy})"

    @property
    def is_valid(self) -> bool:
        return not self.errors


def board_report_upload_to(instance: "BoardReport", filename: str) -> str:
    """A private path with a random name, never guessable and never reused: a ready file is never written again."""
    return f"private/actions/board-reports/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class BoardReport(models.Model):
    """One version of a quarter's Board report: queued -> rendering -> ready | failed, changed only by
    actions.reports.services; a ready one never changes (`save` refuses), so regenerating makes version n+1."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="board_reports")
    period_start = models.DateField()
    period_end = models.DateField()
    quarter_label = models.CharField(max_length=20, help_text='e.g. "Q3 2026/27".')
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    file = models.FileField(upload_to=board_report_upload_to, blank=True, max_length=200)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    # What the strategy group wrote for this version (copied to the next version when regenerating).
    recommendations = models.TextField(blank=True)
    author = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=200, blank=True)
    sponsor = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty: queued by the quarterly schedule.",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period_start", "strategy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "period_start", "version"],
                                    name="board_report_version_unique"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="board_report_period_in_order"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | (~models.Q(file="") & ~models.Q(sha256="")),
                name="board_report_ready_has_file",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.quarter_label} report on {self.strategy}, version {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = BoardReport.objects.filter(pk=self.pk).values("status", "file", "sha256", "size").first()
            if stored and stored["status"] == self.Status.READY and (
                self.status != self.Status.READY
                or (self.file.name, self.sha256, self.size) != (stored["file"], stored["sha256"], stored["size"])
            ):
                raise ValueError("A ready Board report never changes: regenerate it to make a new version.")
        super().save(*args, **kwargs)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)

    @property
    def filename(self) -> str:
        """The name a download is saved under, e.g. "board-report-Q3-2026-27-v2.pdf"."""
        label = re.sub(r"[^A-Za-z0-9]+", "-", self.quarter_label).strip("-")
        return f"board-report-{label}-v{self.version}.pdf"
