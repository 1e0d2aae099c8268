"""The Django admin for training: a back door for administrators. Coordinators use the portal's own pages,
which go through the services (locking, emails, history); bookings are read-only here for that reason."""

from django.contrib import admin
from django.db.models import Max, Min
from simple_history.admin import SimpleHistoryAdmin

from workforce.admin import ReadOnlyAdminMixin

from .models import (
    Band,
    Booking,
    BookingEvent,
    Completion,
    Course,
    Evaluation,
    Event,
    Requirement,
    Session,
    SessionDate,
    StandardVersion,
    Theme,
)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    autocomplete_fields = ["courses"]


@admin.register(StandardVersion)
class StandardVersionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "effective_from", "is_current"]
    inlines = [RequirementInline]


@admin.register(Band)
class BandAdmin(SimpleHistoryAdmin):
    list_display = ["number", "label"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "is_common_core", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "delivery_mode", "variant", "provider", "is_active"]
    list_filter = ["delivery_mode", "variant", "is_active", "themes", "needs_manager_approval"]
    search_fields = ["code", "title", "summary"]
    autocomplete_fields = ["prerequisites", "refresher_of", "provider"]
    filter_horizontal = ["themes"]


@admin.register(Requirement)
class RequirementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "band", "refresher_months"]
    list_select_related = ["version", "band"]
    list_filter = ["version", "band"]
    autocomplete_fields = ["courses"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["name"]}


class SessionDateInline(admin.TabularInline):
    model = SessionDate
    extra = 1


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["course", "starts_at", "capacity", "status", "event"]
    list_select_related = ["course", "event"]
    list_filter = ["status", "event", "course__delivery_mode"]
    search_fields = ["course__title", "course__code", "venue_name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["course", "trainers"]
    inlines = [SessionDateInline]
    readonly_fields = ["starts_at", "ends_at", "ics_sequence"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        session = form.instance
        span = session.dates.aggregate(first=Min("starts_at"), last=Max("ends_at"))
        Session.objects.filter(pk=session.pk).update(starts_at=span["first"], ends_at=span["last"])


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown, never changed or deleted here: a booking changes only through the services, which hold the session's
    lock, fill a freed place from the waiting list, keep the booking's history and tell the people concerned."""

    list_display = ["person", "session", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["person__email", "person__last_name", "session__course__title"]
    list_select_related = ["person", "session__course"]
    inlines = [BookingEventInline]


@admin.register(Completion)
class CompletionAdmin(SimpleHistoryAdmin):
    list_display = ["person", "course", "completed_on", "certificate_number"]
    list_select_related = ["person", "course"]
    list_filter = ["course"]
    search_fields = ["person__email", "person__last_name", "course__title", "certificate_number"]
    autocomplete_fields = ["person", "course"]
    raw_id_fields = ["booking"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["booking", "rating", "submitted_at"]
    list_filter = ["rating"]
    raw_id_fields = ["booking"]
