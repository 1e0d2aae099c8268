from django.urls import path

from . import branding_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("branding/", branding_views.branding_edit, name="branding"),
    path("branding.css", branding_views.branding_css, name="branding_css"),
    path("branding/logo", branding_views.branding_logo, name="branding_logo"),
]
