"""The test's database connection pointed, for a block, at a database that is not there (as when PostgreSQL is
down): SQLite a file in a folder that does not exist, PostgreSQL a port nothing listens on."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def database_unreachable():
    saved_settings, saved_connection = dict(connection.settings_dict), connection.connection
    connection.connection = None
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/db.sqlite3"
    else:
        connection.settings_dict.update({"HOST": "127.0.0.1", "PORT": "1"})
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection
