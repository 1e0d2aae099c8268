from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DataRequest, RetentionPolicy, RetentionRun


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "months", "updated_by", "updated_at"]


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "status", "trigger", "finished_at"]
    readonly_fields = ["started_at", "finished_at", "status", "trigger", "started_by", "results", "error"]

    def has_add_permission(self, request):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "subject", "by"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "subject", "by", "at", "details"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
