from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "org_type", "is_active"]
    list_filter = ["sector", "org_type", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class GovernanceMembershipInline(admin.TabularInline):
    model = GovernanceMembership
    extra = 0
    autocomplete_fields = ["user", "organisation"]
    fields = ["role", "user", "external_name", "external_job_title", "external_email", "external_phone", "sector",
              "organisation", "start_date", "end_date"]  # fmt: skip


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "reports_to", "start_date", "end_date"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [GovernanceMembershipInline]


@admin.register(GovernanceMembership)
class GovernanceMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "role", "sector", "organisation", "start_date", "end_date"]
    list_filter = ["body", "sector"]
    search_fields = ["external_name", "user__email", "user__last_name", "role"]
    autocomplete_fields = ["user", "organisation"]
