from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    # The catalogue and booking
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("my-bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
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
]
