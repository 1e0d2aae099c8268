"""The portal's URLs plus views that fail on purpose, for tests/portal/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

SECRET_DETAIL = "sensitive-detail-7f3a"


def raise_400(request):
    raise SuspiciousOperation(f"bad request {SECRET_DETAIL}")


def raise_403(request):
    raise PermissionDenied(f"no {SECRET_DETAIL}")


def raise_404(request):
    raise Http404(f"missing {SECRET_DETAIL}")


def raise_500(request):
    raise RuntimeError(f"boom {SECRET_DETAIL}")


def raise_database_error(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM no_such_table_{SECRET_DETAIL.replace('-', '_')}")  # noqa: S608


urlpatterns = [
    path("test-errors/400/", raise_400),
    path("test-errors/403/", raise_403),
    path("test-errors/404/", raise_404),
    path("test-errors/500/", raise_500),
    path("test-errors/database/", raise_database_error),
    *urlpatterns,
]
