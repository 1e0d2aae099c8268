"""Refuse a request body over MAX_REQUEST_BODY_BYTES from its Content-Length, before anything reads it: an 87 MB
upload is turned away at once, not read whole and then refused by a form. The proxy in front enforces the same
limit, including on bodies sent without a length (docs/operations.md, "Request size")."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            # No context processors, no session: the page must not touch what the body was meant for.
            page = loader.get_template("413.html").render({"limit_mb": settings.MAX_REQUEST_BODY_BYTES // 2**20})
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the unread body is not drained; the connection cannot be reused
            return response
        return self.get_response(request)
