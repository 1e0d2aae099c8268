from django.contrib import admin

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read and revoke only: a secret is made on the tokens page, where it is shown once."""

    list_display = ["name", "kind", "user", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["kind", "organisation"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False
