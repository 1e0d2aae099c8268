from django.urls import path

from . import views

app_name = "workforce"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("profile/", views.my_profile, name="my_profile"),
    path("directory/", views.directory, name="directory"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/export.csv", views.staff_export, name="staff_export"),
    path("staff/<int:pk>/", views.person_detail, name="person"),
    path("staff/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("staff/<int:pk>/roles/add/", views.designated_role_add, name="designated_role_add"),
    path("designated-roles/", views.designated_roles, name="designated_roles"),
    path("designated-roles/<int:pk>/end/", views.designated_role_end, name="designated_role_end"),
    path("import/", views.staff_import, name="import"),
    path("import/<int:pk>/", views.staff_import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.staff_import_confirm, name="import_confirm"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
