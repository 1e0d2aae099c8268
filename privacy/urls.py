from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/export.json", views.export_json, name="export_json"),
    path("people/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("people/<int:pk>/leave/", views.leave, name="leave"),
    path("people/<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    path("retention/", views.retention, name="retention"),
    path("retention/run/", views.retention_run_now, name="retention_run"),
    path("retention/runs/", views.runs, name="runs"),
    path("audit/", views.audit, name="audit"),
]
