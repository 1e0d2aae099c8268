"""The Core Training Standard (versioned, band by band), its courses, sessions and bookings (every status
change kept as a BookingEvent), and what people completed."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

# --- The standard -----------------------------------------------------------------------------------


class StandardVersion(models.Model):
    """One edition of the Core Training Standard. Exactly one is current at a time."""

    name = models.CharField(max_length=200, help_text="For example “Core Training Standard 2026”.")
    effective_from = models.DateField()
    is_current = models.BooleanField(
        "current version", default=False, help_text="The version compliance is measured against."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="training_one_current_standard_version"
            ),
            models.UniqueConstraint(fields=["name"], name="training_standard_version_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """A band of the standard by contact with children. StaffProfile.cts_band holds the band's number."""

    number = models.PositiveSmallIntegerField(
        unique=True, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    label = models.CharField(max_length=100, help_text="For example “Regular direct contact”.")
    description = models.TextField(blank=True, help_text="Who falls in this band.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=9), name="training_band_number_1_to_9"
            ),
        ]

    def __str__(self) -> str:
        return f"Band {self.number}: {self.label}"


class Theme(models.Model):
    """A theme courses fall under: the six Common Core areas and more (Signs of Safety, SEND, …)."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    is_common_core = models.BooleanField("one of the six Common Core areas", default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


# --- Courses ----------------------------------------------------------------------------------------


class Course(models.Model):
    required_for_me: bool  # set on a page's courses by selectors.catalogue._mark_required, not a field

    class DeliveryMode(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        ELEARNING = "elearning", "E-learning"
        VIRTUAL = "virtual", "Virtual (live online)"
        BLENDED = "blended", "Blended"
        MULTI_DAY_EVENT = "event", "Multi-day event"

    class Variant(models.TextChoices):
        STANDARD = "standard", "Standard"
        INTRODUCTION = "intro", "Introduction"
        REFRESHER = "refresher", "Refresher"

    code = models.CharField(max_length=30, unique=True, help_text="Short reference, e.g. SG2 or MI-R.")
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two sentences shown in the catalogue.")
    outcomes = models.TextField(blank=True, help_text="What people will be able to do afterwards, one per line.")
    audience = models.TextField(blank=True, help_text="Who the course is for.")
    duration = models.CharField(max_length=100, help_text="For example “3 hours” or “2 days”.")
    delivery_mode = models.CharField(max_length=12, choices=DeliveryMode.choices, default=DeliveryMode.CLASSROOM)
    themes = models.ManyToManyField(Theme, related_name="courses", blank=True)
    provider = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="training_courses",
        null=True,
        blank=True,
        help_text="The partner organisation that runs the course.",
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="required_by",
        blank=True,
        help_text="Courses a person must have completed before booking this one.",
    )
    variant = models.CharField(max_length=10, choices=Variant.choices, default=Variant.STANDARD)
    refresher_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="refreshers",
        help_text="For a refresher: the course it refreshes.",
    )
    needs_manager_approval = models.BooleanField(
        default=False, help_text="Bookings wait for the person's line manager to approve them."
    )
    copy_line_manager = models.BooleanField(
        default=False, help_text="Copy the person's line manager into booking emails."
    )
    cancellation_notice_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="Cancelling fewer days than this before the start is recorded as a late cancellation.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive courses are hidden from the catalogue.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["title", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(variant="refresher") | Q(refresher_of__isnull=False),
                name="training_refresher_names_its_course",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "title"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.outcomes.splitlines() if line.strip(" -•\t")]


class Requirement(models.Model):
    """In a version of the standard, people in a band must have completed a course — or any one of a set of
    equivalent courses — and, when refresher_months is set, again within that many months."""

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="requirements")
    band = models.ForeignKey(Band, on_delete=models.PROTECT, related_name="requirements")
    title = models.CharField(max_length=200, help_text="What is required, e.g. “Safeguarding level 2”.")
    courses = models.ManyToManyField(
        Course, related_name="requirements", help_text="Completing any one of these courses meets the requirement."
    )
    refresher_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Re-take within this many months (safeguarding 36, Signs of Safety 24). Empty: once is enough.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "band__number", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["version", "band", "title"], name="training_requirement_unique_title"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (band {self.band.number})"


# --- Events and sessions ----------------------------------------------------------------------------


def moment_label(moment) -> str:
    """A moment as the portal's messages write it, in local time: "Thu 3 Dec 2026, 09:30"."""
    return f"{timezone.localtime(moment):%a %-d %b %Y, %H:%M}"


class Event(models.Model):
    """A programme of sessions, e.g. the week-long Every Colleague Matters or a Welcome Event."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_event_dates_order"),
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """One running of a course: one or more dates, a venue or an online link, a number of places."""

    my_booking: "Booking | None"  # set on a page's sessions by the selectors and views, not a field

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        CLOSED = "closed", "Closed (register completed)"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(1000)])
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.TextField(blank=True)
    access_notes = models.TextField(blank=True, help_text="Step-free access, parking, hearing loop, …")
    online_url = models.URLField("online link", blank=True)
    booking_opens_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open now.")
    booking_closes_at = models.DateTimeField(null=True, blank=True, help_text="Empty: until the session starts.")
    trainers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="sessions_training", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    notes = models.TextField(blank=True, help_text="Shown to people who book.")
    # First start and last end of the session's dates, kept in step by the services (for filters and ordering).
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The calendar invitation's SEQUENCE: raised every time the session changes or is cancelled.
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="training_session_capacity_positive"),
            models.CheckConstraint(
                condition=Q(booking_closes_at__isnull=True)
                | Q(booking_opens_at__isnull=True)
                | Q(booking_closes_at__gt=models.F("booking_opens_at")),
                name="training_session_booking_window_order",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["course", "starts_at"]),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%-d %b %Y") if self.starts_at else "no dates yet"
        return f"{self.course.title}, {when}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name

    @property
    def ics_uid(self) -> str:
        return f"training-session-{self.pk}@workforce-portal"

    @property
    def cancellation_deadline(self):
        """Cancelling after this is a late cancellation."""
        if self.starts_at is None:
            return None
        return self.starts_at - timedelta(days=self.course.cancellation_notice_days)

    @property
    def last_date_starts_at(self):
        """When the session's last date begins (its only one, mostly): from then its register can be closed."""
        return max((d.starts_at for d in self.dates.all()), default=self.starts_at)

    def register_can_be_marked(self, now=None) -> bool:
        """From the day it starts, unless it was cancelled."""
        return (self.status != self.Status.CANCELLED and self.starts_at is not None
                and timezone.localdate(self.starts_at) <= timezone.localdate(now or timezone.now()))

    def can_be_closed(self, now=None) -> bool:
        """Its last date has begun (or it has no dates to wait for)."""
        begins = self.last_date_starts_at
        return begins is None or begins <= (now or timezone.now())

    def is_open_for_booking(self, now=None) -> bool:
        return self.booking_closed_reason(now) == ""

    def booking_closed_reason(self, now=None) -> str:
        """Why this session cannot be booked now, in words for the person trying; "" when it can."""
        now = now or timezone.now()
        if self.status == self.Status.CANCELLED:
            return "This session has been cancelled, so it cannot be booked."
        if self.status == self.Status.CLOSED or self.starts_at is None or self.starts_at <= now:
            return "This session has already started, so it can no longer be booked."
        if self.booking_opens_at and now < self.booking_opens_at:
            return f"Booking for this session opens on {moment_label(self.booking_opens_at)}."
        if self.booking_closes_at and now >= self.booking_closes_at:
            return f"Booking for this session closed on {moment_label(self.booking_closes_at)}."
        return ""


class SessionDate(models.Model):
    """One sitting of a session (a two-day course has two)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="dates")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_session_date_order"),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{moment_label(self.starts_at)}–{timezone.localtime(self.ends_at):%H:%M}"


# --- Bookings ---------------------------------------------------------------------------------------


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Awaiting manager approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        CANCELLED = "cancelled", "Cancelled"
        LATE_CANCELLED = "late_cancelled", "Cancelled late"
        DECLINED = "declined", "Declined by manager"
        ATTENDED = "attended", "Attended"
        NO_SHOW = "no_show", "Did not attend"

    # A person holds at most one booking in these statuses for a session.
    LIVE_STATUSES = (
        Status.PENDING_APPROVAL,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.ATTENDED,
        Status.NO_SHOW,
    )
    # These take up a place (count against capacity).
    PLACE_STATUSES = (Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings")
    status = models.CharField(max_length=20, choices=Status.choices)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The waiting list's order: a number given under the session's lock when the booking joins the waiting list
    # (one more than the session's highest so far), so the list is in the order places were asked for under the
    # lock, whenever each request started, and a booking wait-listed on approval joins at the back. A waiting
    # booking's position is one more than the waiting bookings with a lower (waitlist_order, pk).
    waitlist_order = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_to",
        help_text="The booking whose place this one took over.",
    )
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # db_default: training_book_place() (PL/pgSQL) inserts bookings without naming this column.
    walk_in = models.BooleanField(default=False, db_default=False,
                                  help_text="Added to the register on the day, without booking.")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=Q(status__in=["pending_approval", "confirmed", "waitlisted", "attended", "no_show"]),
                name="training_one_live_booking_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "created_at"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.session} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    @property
    def holds_place(self) -> bool:
        return self.status in self.PLACE_STATUSES


class BookingEvent(models.Model):
    """One change of a booking: who did it, when, from which status to which, and why."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=Booking.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Booking.Status.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.from_status or 'new'} → {self.to_status}"


# --- What people completed --------------------------------------------------------------------------


class Completion(models.Model):
    """A person completed a course on a date: from attending a session, or recorded by a coordinator."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="completion"
    )
    certificate_number = models.CharField(max_length=40, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.CharField(max_length=300, blank=True)
    # Set by an external e-learning platform through the API: a repeat with the same id changes nothing.
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "pk"]
        indexes = [models.Index(fields=["person", "course", "completed_on"])]

    def __str__(self) -> str:
        return f"{self.person} completed {self.course.title} on {self.completed_on:%-d %b %Y}"


class Evaluation(models.Model):
    """An attendee's rating (1–5) and comments on a session they attended."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="training_evaluation_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.booking.session}"
