"""Errors as RFC 9457 problem details (`application/problem+json`): type, title, status, detail."""

from typing import Any

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "https://workforce-portal.invalid/problems/"  # documented in docs/integrations.md
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          406: "Not acceptable", 409: "Conflict", 415: "Unsupported media type", 429: "Too many requests"}


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    body: dict[str, Any] = {"type": PROBLEM_TYPE + str(status), "title": TITLES.get(status, "Error"),
                            "status": status}
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = "Some of what was sent is not valid; nothing was changed."
        body["errors"] = data
    elif isinstance(data, dict) and "detail" in data:
        body["detail"] = str(data["detail"])
    response.data = body
    response.content_type = "application/problem+json"
    return response
