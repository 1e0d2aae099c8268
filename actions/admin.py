"""The action plan in the Django admin: read-only, because the services keep rules the admin's forms would
not (archived plans, one active strategy, append-only updates). Deletes only what nobody updated (docs/actions.md)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workforce.admin import ReadOnlyAdminMixin

from .models import Action, BoardReport, Evidence, Milestone, PlanImport, StatusUpdate, Strategy, Theme


class PlanRecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only, deletable while the plan is open (see the module's docstring)."""

    def strategy_of(self, obj) -> Strategy:
        return obj.strategy

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.strategy_of(obj).is_archived:
            return False
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would skip the archived check above
        return actions


class ThemeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Theme
    extra = 0
    fields = ["order", "code", "title", "aim"]


@admin.register(Strategy)
class StrategyAdmin(PlanRecordAdmin):
    list_display = ["title", "period_start", "period_end", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [ThemeInline]

    def strategy_of(self, obj) -> Strategy:
        return obj


@admin.register(Theme)
class ThemeAdmin(PlanRecordAdmin):
    list_display = ["code", "title", "strategy", "order"]
    list_filter = ["strategy"]
    list_select_related = ["strategy"]


class MilestoneInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "done_date"]


class StatusUpdateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = StatusUpdate
    extra = 0
    fields = ["created_at", "status", "percent_complete", "commentary", "created_by"]
    readonly_fields = fields


@admin.register(Action)
class ActionAdmin(PlanRecordAdmin):
    list_display = ["code", "title", "strategy", "theme", "due_date", "current_status", "percent_complete"]
    list_filter = ["strategy", "current_status"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["strategy", "theme"]
    inlines = [MilestoneInline, StatusUpdateInline]


class EvidenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "content_type", "size", "url"]
    readonly_fields = fields


@admin.register(StatusUpdate)
class StatusUpdateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["action", "status", "percent_complete", "created_by", "created_at"]
    list_filter = ["status"]
    list_select_related = ["action", "created_by"]
    inlines = [EvidenceInline]


@admin.register(PlanImport)
class PlanImportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "strategy", "uploaded_by", "created_at", "applied_at"]


@admin.register(BoardReport)
class BoardReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: reports are made, regenerated and downloaded through the portal's report pages, and a
    ready file never changes. The file is not linked here (that would be its storage URL)."""

    list_display = ["quarter_label", "strategy", "version", "status", "requested_by", "requested_at", "finished_at",
                    "attempts"]
    list_filter = ["status", "strategy"]
    list_select_related = ["strategy", "requested_by"]
    exclude = ["file"]
