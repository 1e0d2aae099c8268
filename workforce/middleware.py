"""Sessions end after SESSION_COOKIE_AGE idle, renewed at most once a SESSION_RENEW_SECONDS instead
of a database write on every request (docs/workforce.md). Place it after SessionMiddleware."""

import time

from django.conf import settings

RENEWED_KEY = "_renewed_at"


class SessionIdleRenewalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(RENEWED_KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                session[RENEWED_KEY] = now  # marks the session modified: SessionMiddleware saves it and the cookie
        return response
