"""What the apps cache and how it goes stale: each value lives in a family with a generation that signal
receivers bump on change (at once and after commit), so nothing computed from old data is served (docs/core.md)."""

import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 15 * 60  # seconds


def _new_generation() -> int:
    # Time-based, so a generation lost from the cache never comes back and revives old entries.
    return time.time_ns() // 1000


def cache_namespace_bump(*names: str, at_once: bool = True) -> None:
    """Make every entry of these families (`cached_in(name, …)`) stale: now, and again after commit (one round
    trip to the cache each time). `at_once=False` skips the first, for writes whose own transaction reads nothing
    of the family (a booking under its session's lock: the cache's round trip would lengthen the lock)."""

    def bump() -> None:
        generation = _new_generation()
        cache.set_many({f"ns:{name}": generation for name in names}, None)

    if at_once:
        bump()
    transaction.on_commit(bump)


def cached_in(namespace: str | tuple[str, ...], key: str, compute: Callable[[], Any], *, timeout: int = TIMEOUT,
              fresh: Callable[[Any], bool] | None = None) -> Any:
    """The value of `key` in a family (or families) made stale by `cache_namespace_bump`, computed and stored
    when missing or stale; one round trip when present. `fresh(value)` may reject a value found."""
    ns_keys = [f"ns:{name}" for name in ((namespace,) if isinstance(namespace, str) else namespace)]
    found = cache.get_many([*ns_keys, key])
    missing = {ns_key: _new_generation() for ns_key in ns_keys if found.get(ns_key) is None}
    if missing:
        cache.set_many(missing, None)
    generations = tuple(found.get(ns_key) or missing[ns_key] for ns_key in ns_keys)
    entry = found.get(key)
    if entry is not None and entry[0] == generations and (fresh is None or fresh(entry[1])):
        return entry[1]
    value = compute()
    cache.set(key, (generations, value), timeout)
    return value


_stale_all: dict[str, Callable[[], None]] = {}  # by app, registered from each app's AppConfig.ready()


def caches_register(*, app: str, stale: Callable[[], None]) -> None:
    """`stale()` makes every family the app caches stale (for writes that send no signals)."""
    _stale_all[app] = stale


def caches_stale_all() -> None:
    for stale in _stale_all.values():
        stale()
