"""Bench-only middleware (config.settings.bench): the number of SQL queries a request made, in a response header,
so a bench reads the same count in-process and over HTTP. Never in production's settings."""

from django.db import connection

QUERY_HEADER = "X-Bench-Queries"


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
