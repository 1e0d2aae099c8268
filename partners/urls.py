from django.urls import path

from . import administration_views as admin_views
from . import views

app_name = "partners"

urlpatterns = [
    path("", views.partnership, name="partnership"),
    path("sectors/add/", admin_views.sector_edit, name="sector_add"),
    path("sectors/<slug:slug>/", views.sector_detail, name="sector"),
    path("sectors/<slug:slug>/edit/", admin_views.sector_edit, name="sector_edit"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/add/", admin_views.organisation_edit, name="organisation_add"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", admin_views.organisation_edit, name="organisation_edit"),
    path("governance/", views.governance_list, name="governance"),
    path("governance/add/", admin_views.governance_body_edit, name="governance_body_add"),
    path("governance/<slug:slug>/", views.governance_detail, name="governance_body"),
    path("governance/<slug:slug>/edit/", admin_views.governance_body_edit, name="governance_body_edit"),
    path("governance/<slug:slug>/members/add/", admin_views.membership_add, name="membership_add"),
    path("governance/members/<int:pk>/end/", admin_views.membership_end, name="membership_end"),
]
