"""What /healthz reports: can we reach the database and the Celery broker?"""

import os
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the reason is reported
        return False, type(exc).__name__
    return True, connection.vendor


def database_unreachable(exc: BaseException | None) -> bool:
    """Is this error the database being away (down, restarting, refusing connections), not a fault of ours?
    PostgreSQL's own errors carry an SQLSTATE: classes 08, 53 and 57 are connection, resources and shutdown."""
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        code = getattr(exc.__cause__, "pgcode", None)
        return code is None or code[:2] in ("08", "53", "57")
    return False


def cache_ok() -> tuple[bool, str]:
    """The cache rides out an outage (core/redis_cache.py), so ask Redis directly whether it answers."""
    from django.core.cache import caches

    backend = caches["default"]
    client = getattr(backend, "_cache", None)
    if client is None or not hasattr(client, "get_client"):
        return True, type(backend).__name__
    try:
        client.get_client().ping()
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "redis"


def _filesystem_folders_ok(options: dict[str, str]) -> tuple[bool, str]:
    """kombu's filesystem transport "connects" whatever its folders are: a queue folder that was removed or
    made read-only only shows when a task is sent (and lost). Check each folder exists and can be written."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        folder = options.get(key)
        if not folder:
            continue
        path = Path(folder)
        if not path.is_dir():
            return False, f"{key} missing"
        if not os.access(path, os.W_OK | os.X_OK):
            return False, f"{key} not writable"
    return True, "filesystem"


def broker_ok() -> tuple[bool, str]:
    from celery import current_app as app  # config.celery's app (config/__init__.py makes it the current one)

    try:
        with app.connection_for_write() as conn:
            transport = conn.transport_cls
            if conn.transport.driver_type == "filesystem":
                return _filesystem_folders_ok(dict(app.conf.broker_transport_options or {}))
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, str(transport if isinstance(transport, str) else settings.CELERY_BROKER_URL.split(":")[0])
