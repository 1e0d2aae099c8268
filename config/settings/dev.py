"""Local development: `make run`. Debug on; emails written as files under var/mail/ (one .log file per
process and run, each message in full), so the demo logins are not scrolled away by the worker's emails."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

DEBUG = env.bool("DEBUG", default=True)

# Serve static files from the app folders as they change, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
