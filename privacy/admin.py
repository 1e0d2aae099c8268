from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workforce.admin import ReadOnlyAdminMixin

from .models import DataRequest, RetentionPolicy, RetentionRun

# Shown, never changed here: periods are set on the portal's retention page, which keeps each kind's shortest
# period and says why (docs/privacy.md); the run log and the requests are the record of what was done about
# people's data.


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["kind", "months", "updated_by", "updated_at"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "status", "trigger", "finished_at"]
    readonly_fields = ["started_at", "finished_at", "status", "trigger", "started_by", "results", "error"]


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "subject", "by"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "subject", "by", "at", "details"]
