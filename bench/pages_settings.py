"""Settings for bench/pages.py, in-process and under gunicorn: the test settings (DEBUG off, emails in memory),
the bench URLconf (a bare page beside the portal's) and the query-count header."""

from config.settings.test import *  # noqa: F403
from config.settings.test import MIDDLEWARE

ROOT_URLCONF = "bench.pages_urls"
MIDDLEWARE = ["bench.pages_urls.QueryCountMiddleware", *MIDDLEWARE]
