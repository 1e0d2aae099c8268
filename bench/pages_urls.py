"""Bench-only wiring for bench/pages.py: the portal's URLs plus a *bare* page, and a middleware that reports
the number of SQL queries a request made in a response header (so the count is the same in-process and over
HTTP). Never part of the portal: used only through bench/pages_settings.py."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.urls import include, path

from config.urls import handler403, handler404, handler500  # noqa: F401 - the portal's error pages
from workforce.models import User

QUERY_HEADER = "X-Bench-Queries"


@login_required
def bare(request):
    """The fastest page the stack can serve a signed-in person: base.html (navigation and all) and one query."""
    return render(request, "base.html", {"bench_count": User.objects.filter(is_active=True).exists()})


class QueryCountMiddleware:
    """Outermost: counts every query of the request, the session's and the user's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[QUERY_HEADER] = str(count)
        return response


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("config.urls")),
]
