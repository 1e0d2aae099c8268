from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Workforce Portal administration"
admin.site.site_title = "Workforce Portal admin"

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("workforce.auth_urls")),
    path("people/", include("workforce.urls")),
    path("partnership/", include("partners.urls")),
    path("training/", include("training.urls")),
    path("plan/", include("actions.urls")),
    path("notifications/", include("notifications.urls")),
    path("data-protection/", include("privacy.urls")),
    path("api/", include("api.urls")),
    path("identity/", include("identity.urls")),
    path("scim/v2/", include("identity.scim.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

# Nothing under MEDIA_ROOT is public (evidence files, Board reports): files are served only by views that
# check who asks, so MEDIA_URL is not served, not even with DEBUG on.
