"""make backup and make restore on PostgreSQL: a backup restored into a fresh database has every table's rows
and every media file byte for byte."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from tests.conftest import missing

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # make, pg_dump, a new database

ROOT = Path(__file__).resolve().parents[2]


def _url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def make(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603, S607
                          check=check)


def _row_counts(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names read from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def _checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_media_file(tmp_path, make_user, practitioner):
    from tests.training.factories import BookingFactory

    if connection.vendor != "postgresql":
        missing("PostgreSQL", "backups are pg_dump's (set DATABASE_URL)")
    for n in range(3):
        BookingFactory(person=make_user(email=f"booked{n}@example.org"))
    media = tmp_path / "media"
    (media / "certificates" / "2026").mkdir(parents=True)
    (media / "certificates" / "2026" / "one.pdf").write_bytes(os.urandom(50_000))
    (media / "board_reports").mkdir()
    (media / "board_reports" / "q3 report.pdf").write_bytes(b"%PDF-1.7 a report")
    source = _url(connection.settings_dict["NAME"])
    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media), "BACKUP_DIR": str(tmp_path / "backups")}

    made = make("backup", env=env)
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "media.sha256"}

    fresh = f"restore_check_{os.getpid()}"
    restored_media = tmp_path / "restored-media"
    try:
        make("restore", f"BACKUP={backup}", f"DB={fresh}", env={**env, "MEDIA_ROOT": str(restored_media)})
        counts = _row_counts(_url(fresh))
        assert counts == _row_counts(source)
        assert counts["training_booking"] == 3 and counts["workforce_user"] >= 4
        assert _checksums(restored_media) == _checksums(media)

        again = make("restore", f"BACKUP={backup}", f"DB={fresh}", env={**env, "MEDIA_ROOT": str(tmp_path / "other")},
                     check=False)
        assert again.returncode != 0 and "exists" in again.stderr  # never over an existing database
    finally:
        admin = psycopg2.connect(source)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        admin.close()
