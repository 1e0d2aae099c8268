from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("all/", views.all_notifications, name="all"),
    path("<int:pk>/resend/", views.resend, name="resend"),
]
