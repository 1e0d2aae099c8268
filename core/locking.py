"""Named locks (`<app>.<what>`, listed in docs/architecture.md), so no two services pick the same number:
a stable hash gives PostgreSQL's advisory-lock number. On SQLite the IMMEDIATE transaction is the lock."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import OperationalError, connection


def _hashed(name: str, size: int) -> int:
    """The first `size` bytes of the name's SHA-256, less the sign bit: the same in every process and release."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:size], "big") & ((1 << (8 * size - 1)) - 1)


def lock_key(name: str) -> int:
    """The 64-bit advisory-lock key of a name (pg_advisory_xact_lock(bigint))."""
    return _hashed(name, 8)


def lock_space(name: str) -> int:
    """The 32-bit first key of a name, for locks on (name, item id) (pg_advisory_lock(int, int))."""
    return _hashed(name, 4)


def try_transaction_lock(name: str) -> bool:
    """Inside a transaction: take the named lock until the transaction ends, without waiting; False when
    someone else holds it. On SQLite, True: the IMMEDIATE transaction already holds the write lock."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key(name)])
        return bool(cursor.fetchone()[0])


@contextmanager
def held_while(name: str, item_id: int) -> Iterator[bool | None]:
    """Hold the lock on (name, item) for the block, outside any transaction, without waiting: True when held,
    False when another live process holds it, None without such locks (SQLite). It dies with the connection."""
    if connection.vendor != "postgresql":
        yield None
        return
    key = [lock_space(name), item_id % 2_147_483_647]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def lock_wait_at_most(timeout: str) -> None:
    """Inside a transaction: a row lock waited for longer than `timeout` (e.g. "3s") fails instead (PostgreSQL;
    SQLite waits for its own busy timeout)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [timeout])


def is_lock_timeout(error: OperationalError) -> bool:
    """A lock not had in time (lock_timeout, a deadlock, SQLite's "database is locked")."""
    cause = error.__cause__
    if getattr(cause, "pgcode", None) in {"55P03", "40P01"}:  # lock_not_available, deadlock_detected
        return True
    return "database is locked" in str(error)


@contextmanager
def busy_raises(busy: type[Exception]) -> Iterator[None]:
    """A lock not had in time inside the block raises `busy()` (the service's polite "try again")."""
    try:
        yield
    except OperationalError as error:
        if is_lock_timeout(error):
            raise busy() from error
        raise
