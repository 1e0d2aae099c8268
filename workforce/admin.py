from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import DesignatedRole, ImportBatch, StaffProfile, User
from .selectors import designated_role_overlap_message, designated_roles_overlapping


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    fk_name = "user"
    autocomplete_fields = ["organisation", "line_manager"]
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [StaffProfileInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("first_name", "last_name", "phone")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined", "left_on")}),
    )

    def save_model(self, request, obj, form, change):
        # Closing an account here records the leaving date the retention job counts from.
        if not obj.is_active and obj.left_on is None:
            obj.left_on = timezone.localdate()
        super().save_model(request, obj, form, change)
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user", "organisation", "job_title", "cts_band", "workforce", "service_tier", "is_organisation_lead",
    ]  # fmt: skip
    list_filter = ["cts_band", "workforce", "service_tier", "is_organisation_lead", "organisation__sector"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "job_title"]
    autocomplete_fields = ["user", "organisation", "line_manager"]


class DesignatedRoleAdminForm(forms.ModelForm):
    """The admin refuses what the portal refuses (workforce.services.designated_role_add): a second role of the
    same kind for the same person and organisation over any of the same dates."""

    class Meta:
        model = DesignatedRole
        fields = ["person", "kind", "organisation", "start_date", "end_date", "notes"]

    def clean(self):
        cleaned = super().clean()
        person, kind, organisation = cleaned.get("person"), cleaned.get("kind"), cleaned.get("organisation")
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if person and kind and organisation and start and (end is None or end >= start):
            overlapping = designated_roles_overlapping(person=person, kind=kind, organisation=organisation,
                                                       start_date=start, end_date=end, exclude_pk=self.instance.pk)
            if overlapping.exists():
                raise forms.ValidationError(designated_role_overlap_message(person=person, organisation=organisation))
        return cleaned


@admin.register(DesignatedRole)
class DesignatedRoleAdmin(SimpleHistoryAdmin):
    form = DesignatedRoleAdminForm
    list_display = ["person", "kind", "organisation", "start_date", "end_date"]
    list_filter = ["kind", "organisation__sector"]
    search_fields = ["person__email", "person__last_name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    date_hierarchy = "start_date"
    list_select_related = ["person", "organisation"]


class ReadOnlyAdminMixin:
    """For records the admin may show and never change: history, logs, what was done about someone's data."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # With django-simple-history's admin: it saves a POST here (a "revert" to an old version) with only the
        # view permission checked. Old versions are shown, never restored.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "uploaded_by", "organisation", "status", "created_at", "confirmed_at"]
    list_filter = ["status"]
    readonly_fields = ["uploaded_by", "organisation", "filename", "status", "summary", "created_at", "confirmed_at"]
    exclude = ["rows"]  # the validated rows can be 25,000 long; the summary says what they did
    list_select_related = ["uploaded_by", "organisation"]

    def has_add_permission(self, request):
        return False


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    """Two-factor devices (docs/architecture.md): an administrator sees who has one and deletes a lost one,
    the recovery path. Nobody adds, changes or moves one here, and the secret is never shown
    (OTP_ADMIN_HIDE_SENSITIVE_DATA): whoever knew it, or chose it, could pass that person's second step."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)
