from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # The catalogue and booking
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("my-bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    path("sessions/<int:pk>/book-someone/", views.booking_for_someone, name="booking_for_someone"),
    # Line managers
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:pk>/", views.approval_decide, name="approval_decide"),
    path("approvals/<int:pk>/transfer/", views.booking_transfer, name="booking_transfer"),
    # Coordinators: the standard
    path("manage/standard/", views.standard, name="standard"),
    path("manage/standard/versions/new/", views.standard_version_edit, name="version_create"),
    path("manage/standard/versions/<int:pk>/", views.standard_version_detail, name="version_detail"),
    path("manage/standard/versions/<int:pk>/edit/", views.standard_version_edit, name="version_edit"),
    path("manage/standard/versions/<int:pk>/make-current/", views.standard_version_make_current,
         name="version_make_current"),
    path("manage/standard/bands/new/", views.band_edit, name="band_create"),
    path("manage/standard/bands/<int:pk>/edit/", views.band_edit, name="band_edit"),
    path("manage/standard/themes/new/", views.theme_edit, name="theme_create"),
    path("manage/standard/themes/<int:pk>/edit/", views.theme_edit, name="theme_edit"),
    path("manage/standard/requirements/new/", views.requirement_edit, name="requirement_create"),
    path("manage/standard/requirements/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("manage/standard/requirements/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
    # Coordinators: courses, events, sessions
    path("manage/", views.manage_home, name="manage_home"),
    path("manage/courses/", views.course_list_manage, name="course_list_manage"),
    path("manage/courses/new/", views.course_edit, name="course_create"),
    path("manage/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("manage/events/", views.event_list_manage, name="event_list_manage"),
    path("manage/events/new/", views.event_edit, name="event_create"),
    path("manage/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("manage/sessions/new/", views.session_edit, name="session_create"),
    path("manage/sessions/<int:pk>/", views.session_manage, name="session_manage"),
    path("manage/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("manage/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    # --- register, certificates, evaluations, compliance ---
    path("my-training/", views.my_training, name="my_training"),
    path("certificates/<int:pk>/", views.certificate_download, name="certificate_download"),
    path("bookings/<int:pk>/evaluation/", views.evaluation_create, name="evaluation_create"),
    path("manage/sessions/<int:pk>/register/", views.session_register, name="session_register"),
    path("manage/sessions/<int:pk>/register/close/", views.session_register_close, name="session_register_close"),
    path("manage/sessions/<int:pk>/register/sign-in-sheet.pdf", views.session_sign_in_sheet,
         name="session_sign_in_sheet"),
    path("manage/sessions/<int:pk>/attendees.csv", views.session_attendees_export, name="session_attendees_export"),
    path("manage/courses/<int:pk>/evaluations/", views.course_evaluations, name="course_evaluations"),
    path("manage/courses/<int:pk>/history.csv", views.course_history_export, name="course_history_export"),
    path("compliance/team/", views.compliance_matrix, {"scope": "team"}, name="compliance_team"),
    path("compliance/team/export.csv", views.compliance_matrix, {"scope": "team", "export": True},
         name="compliance_team_export"),
    path("compliance/organisation/", views.compliance_matrix, {"scope": "organisation"},
         name="compliance_organisation"),
    path("compliance/organisation/export.csv", views.compliance_matrix, {"scope": "organisation", "export": True},
         name="compliance_organisation_export"),
    path("compliance/all/", views.compliance_matrix, {"scope": "all"}, name="compliance_all"),
    path("compliance/all/export.csv", views.compliance_matrix, {"scope": "all", "export": True},
         name="compliance_all_export"),
]
