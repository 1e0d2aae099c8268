from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False  # one URL per resource: JSON, or the browsable page by Accept
router.register("courses", views.CourseViewSet, basename="course")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("completions", views.CompletionViewSet, basename="completion")
router.register("people", views.PersonViewSet, basename="person")
router.register("actions", views.ActionViewSet, basename="action")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
