from django.urls import path, re_path

from . import views
from .reports import views as report_views

app_name = "actions"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("strategies/", views.strategy_list, name="strategy_list"),
    path("strategies/new/", views.strategy_create, name="strategy_create"),
    path("strategies/<int:pk>/", views.overview, name="strategy_overview"),
    path("strategies/<int:pk>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/themes/new/", views.theme_create, name="theme_create"),
    path("strategies/<int:pk>/actions/new/", views.action_create, name="action_create"),
    re_path(r"^strategies/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("strategies/<int:pk>/import/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("actions/", views.action_list, name="action_list"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/update/", views.action_update, name="action_update"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    # Quarterly Board reports (actions/reports/): Board members, the strategy group and administrators only.
    path("reports/", report_views.report_archive, name="report_archive"),
    path("reports/new/", report_views.report_create, name="report_create"),
    path("reports/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("reports/<int:pk>/status.json", report_views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report_download"),
    path("reports/<int:pk>/regenerate/", report_views.report_regenerate, name="report_regenerate"),
]
