"""Benchmarks (bench/): production's settings served on loopback, changed only where loopback needs it
(plain http, a fixed secret, mail to files, a query-count header, a cheap hasher, the bench URLconf)."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789")
# Production requires EMAIL_URL; the bench writes mail to files instead (EMAIL_BACKEND below). DATABASE_URL and
# REDIS_URL are checked by bench/server.py, which names the databases a bench may empty.
os.environ.setdefault("EMAIL_URL", "consolemail://")

from .prod import *  # noqa: E402, F403
from .prod import MIDDLEWARE, VAR_DIR, env  # noqa: E402

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

ROOT_URLCONF = "bench.urls"
# Outermost: each response says how many queries it cost (bench/middleware.py), the same in-process and over HTTP.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env("BENCH_MAIL_DIR", default=str(VAR_DIR / "bench" / "mail"))
STATIC_ROOT = env("BENCH_STATIC_ROOT", default=str(VAR_DIR / "bench" / "static"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
