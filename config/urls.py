from django.conf import settings
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
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.error_400"
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
