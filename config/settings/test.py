"""pytest. Same code as production; faster hashing, emails kept in memory, tasks run inline unless a
test starts a real worker (tests/conftest.py: celery_worker)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-0123456789"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# django-axes needs the request in authenticate(), which the test client's login() does not pass.
# Lockout is tested with AXES_ENABLED switched on (tests/portal/test_security.py).
AXES_ENABLED = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# pytest-xdist runs the suite in several processes (gw0, gw1, …), each with a database of its own.
XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="")


def _migrations_hash() -> str:
    """A short hash of every migration file of ours: any new or changed migration gives another hash."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):  # noqa: F405
        digest.update(str(path.relative_to(BASE_DIR)).encode())  # noqa: F405
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


# `make test` keeps the test database between local runs (--reuse-db); its name carries the migrations' hash, so
# a schema built from other migrations is never reused: a new migration means a new database (docs/operations.md).
# (SQLite's test database is in memory and built anew each run: nothing to name.)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (  # noqa: F405
        f"test_{DATABASES['default']['NAME']}_{_migrations_hash()}"  # noqa: F405
    )

if REDIS_URL:  # noqa: F405
    # Tests share the Redis database with the broker (and bench scripts run on these settings with other
    # databases): cache keys carry a prefix naming the database and the test process, so the autouse fixture in
    # tests/conftest.py empties only its own keys, and no process reads values cached from another database.
    CACHES["default"]["KEY_PREFIX"] = f"test-{DATABASES['default']['NAME']}-{XDIST_WORKER}"  # noqa: F405
    # And each test process has queues of its own, which the workers its tests start (in-process, or as
    # processes that inherit PYTEST_XDIST_WORKER) listen to: no process takes another's tasks.
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
                                       "global_keyprefix": f"test-{XDIST_WORKER or 'main'}:"}
else:
    # One process (worker tests run their worker in it): each test run keeps its cache in its own memory, apart from
    # a `make run` beside it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Keep the test run's queue apart from a `make run` worker's queue under var/celery.
    import tempfile
    from pathlib import Path

    _queue = Path(tempfile.mkdtemp(prefix="workforce-test-celery-"))
    (_queue / "processed").mkdir()
    (_queue / "control").mkdir()
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(_queue / "processed"),
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }

# Serve static files from the app folders as they change, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
