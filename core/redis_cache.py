"""Django's Redis cache backend, one redis-py client per pool (Django builds one per operation, which costs more
than the round trip), riding out Redis outages: reads miss, writes are skipped and forgotten once Redis is back
(docs/core.md; docs/operations.md, "When Redis or PostgreSQL is down")."""

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
T = TypeVar("T")

# After a failure, skip Redis for this long rather than wait for a connect to fail on every operation.
RETRY_AFTER_SECONDS = 5.0
# Keys written (or deleted) while Redis was unreachable are deleted when it answers again: an entry it still
# holds from before (a signed-out session, a stale generation) must not come back. Beyond this many, all are.
MISSED_KEYS_KEPT = 100_000


class _Outage:
    """When Redis last failed and which keys were written meanwhile, shared by a process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.until = 0.0
        self.down = False
        self.missed: set[Any] = set()
        self.missed_too_many = False

    def skipping(self) -> bool:
        return time.monotonic() < self.until

    def failed(self, exc: Exception | None, keys: Iterable[Any]) -> None:
        with self._lock:
            if exc is not None:
                self.until = time.monotonic() + RETRY_AFTER_SECONDS
            if not self.missed_too_many:
                self.missed.update(keys)
                self.missed_too_many = len(self.missed) > MISSED_KEYS_KEPT
            if not self.down:
                self.down = True
                logger.warning("Cache unreachable (%s: %s): serving without it", type(exc).__name__, exc)

    def _still_down(self) -> bool:
        return self.down

    def recovered(self) -> tuple[set[Any], bool] | None:
        """The keys to forget, once, on the first success after an outage (None when there was none)."""
        if not self.down:  # the common case, without the lock
            return None
        with self._lock:
            if not self._still_down():  # another thread got here first
                return None
            missed, too_many = self.missed, self.missed_too_many
            self.down, self.missed, self.missed_too_many = False, set(), False
        logger.warning("Cache reachable again: forgetting %s", "every entry" if too_many else f"{len(missed)} keys")
        return missed, too_many


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self.outage = _Outage()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # django-stubs leaves out RedisCacheClient's private pool and client class, which Django has.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    def _or(self, fallback: T, operation: Callable[[], T], writes: Iterable[Any] = ()) -> T:
        if self.outage.skipping():
            self.outage.failed(None, writes)
            return fallback
        try:
            result = operation()
        except (RedisConnectionError, RedisTimeoutError) as exc:
            self.outage.failed(exc, writes)
            return fallback
        recovered = self.outage.recovered()
        if recovered is not None:
            self._forget(*recovered)
        return result

    def _forget(self, keys: set[Any], everything: bool) -> None:
        client = self.get_client(write=True)
        try:
            if everything:
                # Only this cache's keys (Django's start with ":<version>:"): the broker may share the database.
                for batch in _batches(client.scan_iter(match=":*", count=1000), 1000):
                    client.delete(*batch)
            else:
                for batch in _batches(iter(keys), 1000):
                    client.delete(*batch)
        except (RedisConnectionError, RedisTimeoutError) as exc:
            self.outage.failed(exc, keys)

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._or(False, lambda: super(RedisCacheClient, self).add(key, value, timeout), [key])

    def get(self, key: Any, default: Any) -> Any:
        return self._or(default, lambda: super(RedisCacheClient, self).get(key, default))

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._or(None, lambda: super(RedisCacheClient, self).set(key, value, timeout), [key])

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._or(False, lambda: super(RedisCacheClient, self).touch(key, timeout), [key])

    def delete(self, key: Any) -> bool:
        return self._or(False, lambda: super(RedisCacheClient, self).delete(key), [key])

    def get_many(self, keys: Any) -> dict[Any, Any]:
        return self._or({}, lambda: super(RedisCacheClient, self).get_many(keys))

    def has_key(self, key: Any) -> bool:
        return self._or(False, lambda: super(RedisCacheClient, self).has_key(key))

    def set_many(self, data: Any, timeout: Any) -> None:
        self._or(None, lambda: super(RedisCacheClient, self).set_many(data, timeout), list(data))

    def delete_many(self, keys: Any) -> None:
        keys = list(keys)
        self._or(None, lambda: super(RedisCacheClient, self).delete_many(keys), keys)

    def clear(self) -> bool:
        return self._or(False, lambda: super(RedisCacheClient, self).clear())

    # incr is left to raise: a counter that silently stays put would be wrong, and nothing of ours uses one.


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch = list(itertools.islice(items, size))
    while batch:
        yield batch
        batch = list(itertools.islice(items, size))


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # Fail fast when Redis is away, so a page waits a fraction of a second for it at most.
        params = {**params, "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0,
                                        **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._class = RedisCacheClient
