"""Production: gunicorn behind a TLS-terminating proxy, every secret from the environment. No embedded
defaults: a missing DATABASE_URL, REDIS_URL or EMAIL_URL stops the start, naming it (docs/operations.md)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import axes_proxy_settings, env

for _variable, _example in (
    ("DATABASE_URL", "postgres://user:password@db-host:5432/portal"),
    ("REDIS_URL", "redis://redis-host:6379/0"),
    ("EMAIL_URL", "smtp+tls://user:password@mail-host:587"),
):
    if not os.environ.get(_variable):
        raise ImproperlyConfigured(
            f"{_variable} must be set in production (config.settings.prod), e.g. {_variable}={_example}. "
            "The embedded defaults (SQLite, the filesystem broker, console email) are for development only."
        )

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
STORAGES = {
    **STORAGES,  # noqa: F405 - media storage as base.py chose it (filesystem or S3)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# A load balancer's plain-HTTP health check gets the answer, not a redirect to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Production runs behind one proxy (the TLS terminator) unless told otherwise: sign-in lockouts count the
# address it forwards, not its own (base.axes_proxy_settings). Set 0 only if gunicorn faces clients directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
vars().update(axes_proxy_settings(TRUSTED_PROXY_COUNT))
