from django.urls import path

from . import administration_views as admin_views
from . import sign_in_views, views

app_name = "workforce"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/keep-alive/", views.keep_alive, name="keep_alive"),
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
    # Administration of accounts (administrators): invite, roles, access.
    path("accounts/", admin_views.accounts, name="accounts_admin"),
    path("accounts/invite/", admin_views.invite, name="invite"),
    path("accounts/<int:pk>/", admin_views.account_detail, name="account_admin"),
    path("accounts/<int:pk>/roles/", admin_views.role_add, name="account_role_add"),
    path("accounts/<int:pk>/roles/<slug:role>/remove/", admin_views.role_remove, name="account_role_remove"),
    path("accounts/<int:pk>/deactivate/", admin_views.deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", admin_views.reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/invitation/", admin_views.invitation_resend, name="invitation_resend"),
    path("sign-in-pauses/", sign_in_views.pauses, name="sign_in_pauses"),
    path("sign-in-pauses/<int:pk>/lift/", sign_in_views.pause_lift, name="sign_in_pause_lift"),
    path("sign-in-pauses/lift-account/", sign_in_views.pauses_lift_for_account, name="sign_in_pauses_lift_account"),
]
