"""The database of the in-process benches (those that call the code directly rather than over HTTP).

    from bench import throwaway
    throwaway.django_setup()     # then import models and services

DATABASE_URL, when set, must name a database whose name ends in "_bench" (the bench empties it); unset, a
throwaway SQLite file in a temporary folder is used. Django is set up on the test settings (DEBUG off, so no
query log grows in memory; emails kept in memory; tasks inline) unless DJANGO_SETTINGS_MODULE says otherwise.
The HTTP benches use bench/server.py instead: production's settings, PostgreSQL and Redis.
"""

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
