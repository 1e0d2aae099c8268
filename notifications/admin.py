from django.contrib import admin

from .models import Notification, NotificationItem, NotificationPreference


class NotificationItemInline(admin.TabularInline):
    model = NotificationItem
    extra = 0
    can_delete = False
    readonly_fields = ["item_type", "item_id", "label", "url", "due_date", "reason", "key"]
    fields = readonly_fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "for_date"]
    search_fields = ["subject", "recipient__email", "recipient__last_name"]
    date_hierarchy = "created_at"
    inlines = [NotificationItemInline]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["person", "kind", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["person__email"]
