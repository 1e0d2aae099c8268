from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partnership, name="partnership"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("governance/", views.governance_list, name="governance"),
    path("governance/<slug:slug>/", views.governance_detail, name="governance_body"),
]
