"""Settings shared by every purpose; what differs between installs comes from the environment. Unset, each
falls back to an embedded default needing no server (SQLite, the filesystem broker under var/)."""

import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="insecure-dev-key-change-me-in-production-0123456789abcdef")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Ours, in dependency order: core <- partners <- workforce <- training <- actions <- notifications, privacy, portal.
    "core",
    "partners",
    "workforce",
    "identity",
    "training",
    "actions",
    "api",
    "notifications",
    "privacy",
    "portal",
]

MIDDLEWARE = [
    "core.body_limit.RequestBodyLimitMiddleware",  # first: an oversized body is refused before anything reads it
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "workforce.middleware.SessionIdleRenewalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor (django-otp): marks the session verified; then, for people who set it up, asks for the code.
    "django_otp.middleware.OTPMiddleware",
    "workforce.two_factor.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# The largest file a page takes is 10 MB (staff import, evidence); the rest is the form around it. The proxy in
# front has the same limit (docs/operations.md, "Request size").
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "portal.context_processors.branding",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# SQLite is opened with BEGIN IMMEDIATE so a write transaction takes the database's write lock at
# its start: the booking service's lock-then-count stays race-free without select_for_update.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker and cache ----------------------------------------------------------------------


def _code_version() -> int:
    """A number that changes with the code: cached values are pickled objects (and rendered HTML) of this code,
    so a release with other code never reads an older release's values (its keys carry another version)."""
    digest = hashlib.blake2b(digest_size=6)
    ours = [BASE_DIR / name for name in INSTALLED_APPS if (BASE_DIR / name / "apps.py").exists()]
    for path in sorted(path for folder in (*ours, BASE_DIR / "templates") for path in folder.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".txt"):
            digest.update(path.read_bytes())
    return int.from_bytes(digest.digest(), "big")


REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "core.redis_cache.RedisCache", "LOCATION": REDIS_URL,
                          "VERSION": _code_version()}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # max_retries 0: publishing to a broker that is down fails at once (the outbox keeps the task for the relay)
    # rather than holding the request for kombu's ~6 s of retries.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
else:
    # Shared by the web server, the worker and beat (a change the worker makes, e.g. the nightly retention job,
    # reaches the pages the web server caches): files under var/cache, as the broker's are under var/celery.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": env("CACHE_DIR", default=str(VAR_DIR / "cache")), "VERSION": _code_version()}}
    # A hostname the transport ignores: without one kombu warns "No hostname was supplied" on every connection.
    CELERY_BROKER_URL = "filesystem://localhost/"
    # kombu's filesystem transport, made safe for several processes (messages appear whole or not at all).
    CELERY_BROKER_TRANSPORT = "core.filesystem_broker:Transport"
    CELERY_RESULT_BACKEND = None
    _celery_dir = Path(env("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "celery")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_dir / "queue"),
        "data_folder_out": str(_celery_dir / "queue"),
        "processed_folder": str(_celery_dir / "processed"),
        "control_folder": str(_celery_dir / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control"):
        (_celery_dir / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TIMEZONE = "Europe/London"
# Nothing reads a task's return value (each job records its outcome in its own rows), so none is stored: with a
# result backend, every .delay() from a web request would otherwise subscribe to the result's Redis channel and
# every finished task write a result nobody asks for.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The schedule lives in code; django-celery-beat copies it into its tables when beat starts, so a
# fresh install has every job without anyone clicking in the admin.
# Reminders (notifications/): the daily sweep at REMINDER_SWEEP_HOUR (Europe/London), and every minute a
# pass that re-queues what a dead worker left half sent.
REMINDER_SWEEP_HOUR = env.int("REMINDER_SWEEP_HOUR", default=7)
BOARD_REPORT_HOUR = env.int("BOARD_REPORT_HOUR", default=6)
CELERY_BEAT_SCHEDULE = {
    # The outbox (core/outbox.py): tasks the broker could not take at commit are relayed when it is back.
    "outbox-relay": {
        "task": "core.tasks.outbox_relay_run",
        "schedule": env.int("OUTBOX_RELAY_SECONDS", default=15),
    },
    "clear-expired-sessions": {
        "task": "workforce.tasks.sessions_clear_expired",
        "schedule": 60 * 60 * 24,
    },
    "reminders-daily-sweep": {
        "task": "notifications.tasks.reminders_sweep",
        "schedule": crontab(hour=REMINDER_SWEEP_HOUR, minute=0),
    },
    "notifications-requeue-stale": {
        "task": "notifications.tasks.notifications_requeue_stale",
        "schedule": 60,
    },
    # Board reports (actions/): each morning, the first day after a quarter ends queues that quarter's report
    # for the active strategy; every minute, renders a dead worker left behind are queued again.
    "board-reports-daily": {
        "task": "actions.tasks.board_reports_daily",
        "schedule": crontab(hour=BOARD_REPORT_HOUR, minute=30),
    },
    "board-reports-requeue-stale": {
        "task": "actions.tasks.board_reports_requeue_stale",
        "schedule": 60,
    },
    # Data protection (privacy/): anonymise or delete what is past its retention period, nightly.
    "privacy-retention": {
        "task": "privacy.tasks.retention_run",
        "schedule": crontab(hour=env.int("RETENTION_HOUR", default=2), minute=30),
    },
}
# The retention job anonymises at most this many leavers a night; the rest wait for the next runs.
RETENTION_LEAVERS_PER_RUN = env.int("RETENTION_LEAVERS_PER_RUN", default=100)
# Board reports render on their own queue so a slow PDF never holds up email. Workers consume both
# queues unless started with -Q (e.g. a dedicated `-Q reports` worker in production).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = (Queue("celery"), Queue("reports"))
CELERY_TASK_ROUTES = {"actions.tasks.board_report_render": {"queue": "reports"}}

# --- Email ---------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds a mail-server call may block: a hung server must not hold a reminder "sending" for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Workforce Portal <no-reply@workforce.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The ORGANIZER of calendar invitations: a mailbox the training team reads, since Outlook sends accept and
# decline replies there (a no-reply address bounces them). Set it in production (docs/operations.md).
TRAINING_MAILBOX = env("TRAINING_MAILBOX", default="Training team <training@workforce.example>")
# Absolute links in emails (password reset, approvals) are built from this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Who to contact (the privacy notice and the accessibility statement) ---------------------------------
# The defaults are the demo partnership's: set the real ones in production.
DPO_EMAIL = env("DPO_EMAIL", default="dpo@partnership.example")
DPO_ADDRESS = env(
    "DPO_ADDRESS", default="Data Protection Officer, City Council, Town Hall, Example Street, Exampleton EX1 1AA"
)
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default="workforce.development@partnership.example")

# --- Auth ----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "workforce.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person's staff profile in the same query (workforce/backends.py).
    "workforce.backends.PortalModelBackend",
]

# Sign-in protection (django-axes): 5 failures pause that account from that address for a cooling-off
# period (docs/operations.md, "Sign-in pauses"). The address is the client's as django-ipware finds it:
# behind proxies, set TRUSTED_PROXY_COUNT (production: 1 by default, docs/operations.md) or every sign-in
# comes from the proxy's address and five failures from anyone pause that account for everyone.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
# One lock per (account, address) pair: an attacker cannot lock an account's owner out from elsewhere, nor
# everyone behind their own address. Accounts and addresses failing widely are slowed by workforce.sign_in_guard.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "workforce.security.axes_username"


def axes_proxy_settings(trusted_proxy_count: int) -> dict:
    """django-axes' (ipware's) settings for `trusted_proxy_count` proxies that append to X-Forwarded-For: the
    client is the address the outermost trusted proxy saw, so forged entries are skipped (docs/operations.md)."""
    if trusted_proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "IPWARE_STRICT": False,
    }


TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
vars().update(axes_proxy_settings(TRUSTED_PROXY_COUNT))
AXES_VERBOSE = False
# What a failed sign-in sent is kept (AccessAttempt.post_data): never the form's CSRF token ("password" is masked
# by axes itself). The data-protection export leaves both out of records kept before this, too.
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]

# Optional two-factor sign-in (django-otp TOTP) for administrators and training coordinators.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Workforce Portal")
# The Django admin never shows a device's secret (key, QR code): only its owner saw it, once, to set it up.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after a period of inactivity: requests renew the expiry, at most once a minute
# (workforce.middleware.SessionIdleRenewalMiddleware) rather than with a database write on every request.
# In the database, read through the cache: while Redis is away the cache misses (core/redis_cache.py) and
# sessions are read from PostgreSQL, so nobody is signed out and no page breaks.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=120)
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # the friendly "this form has expired" page
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): no inline script or style anywhere; everything is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- The API (docs/integrations.md): Django REST framework, OpenAPI by drf-spectacular, assets vendored -------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "identity.authentication.BearerTokenAuthentication",  # first: a 401 names the Bearer scheme
        "rest_framework.authentication.SessionAuthentication",  # the browsable API, for people signed in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["identity.authentication.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.ProblemAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_RATE_LIMIT = env("API_RATE_LIMIT", default="1000/minute")  # per token (or signed-in person)
SPECTACULAR_SETTINGS = {
    "TITLE": "Workforce portal API",
    "DESCRIPTION": "Courses, sessions, bookings, completions, people and the action plan (docs/integrations.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Media (reports, certificates, evidence) are private: they are served only through views that check
# permissions, never from MEDIA_URL in production. Filesystem by default; S3-compatible by setting.
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env("MEDIA_S3_PREFIX", default="media"),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Forms ---------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Django's default (a signed cookie, the session only when a message is too big for it): showing a message after a
# booking or a form costs no write to the session's table.
MESSAGE_STORAGE = "django.contrib.messages.storage.fallback.FallbackStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs each rendering step at INFO ("Step 2 - Fetching and parsing CSS"), three of them at
        # import, so every manage.py command printed them; fontTools logs each font table it subsets. Their
        # warnings and errors (a missing image, bad CSS) still reach the console through the "weasyprint" logger.
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Django's form renderer with the select widget's options written in Python (same HTML, no template per option).
FORM_RENDERER = "portal.forms_renderer.PortalFormRenderer"
