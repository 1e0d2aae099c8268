from django.contrib import admin

from .models import Organisation, Sector


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
