"""The portal's URLs plus two that fail on purpose, for tests/portal/test_error_pages.py."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401 - Django reads the handlers


def boom(request):
    raise RuntimeError("secret detail that must not leak: SELECT * FROM workforce_user")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [*urlpatterns, path("test-boom/", boom), path("test-forbidden/", forbidden)]
