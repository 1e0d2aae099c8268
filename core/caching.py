"""What the apps keep in the cache (Redis when REDIS_URL is set), and how it is made stale when the data changes.

Cached values are always derived from the database. Each is kept in a *family* (a namespace) with a generation:
a value is served only while its family's generation is the one it was computed under. The apps connect signal
receivers (model saves, deletes, many-to-many changes) that bump the families of what changed
(`cache_namespace_bump`), and writes that send no signals bump them directly. A bump happens at once (so the same
transaction reads its own writes) and again after commit, so a value computed from the old data by a reader
while the change was being written — even one stored after the commit — carries an old generation and is never
served. Rendered pages are cached under a token kept in such a family (e.g. training.selectors.catalogue_version),
so they follow it. A timeout bounds what any missed path could leave stale. Bulk writes that send no signals
(seed_demo) make everything stale through `caches_stale_all`, which runs what each app registered.
"""

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
    """The value of `key` in a family made stale by `cache_namespace_bump(namespace)` (e.g. the dashboard's
    figures per organisation and day), or by any of several families (a tuple of namespaces), computing and
    storing it when it is missing or stale. One round trip to the cache when the value is there. `fresh(value)`,
    when given, says whether a value found is still good (e.g. not past the time it was for)."""
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
