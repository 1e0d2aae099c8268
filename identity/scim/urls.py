from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("<int:org>/ServiceProviderConfig", views.ServiceProviderConfig.as_view(), name="config"),
    path("<int:org>/Users", views.Users.as_view(), name="users"),
    path("<int:org>/Users/<int:pk>", views.UserDetail.as_view(), name="user"),
    path("<int:org>/Groups", views.Groups.as_view(), name="groups"),
    path("<int:org>/Groups/<slug:slug>", views.GroupDetail.as_view(), name="group"),
]
