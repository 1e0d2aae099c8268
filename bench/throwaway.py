"""The database of the in-process benches: DATABASE_URL ending in "_bench" (emptied), or a throwaway SQLite
file; `throwaway.django_setup()` first, on the test settings unless told otherwise (bench/README.md)."""

import os
import sys
import tempfile


def django_setup() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='wf-bench-')}/bench.sqlite3"
    elif not url.rstrip("/").endswith("_bench"):
        sys.exit("DATABASE_URL must name a throwaway database ending in _bench: it is emptied first.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "postgresql":  # the throwaway database is made on first use
        from bench.server import database_create_if_missing

        database_create_if_missing()
