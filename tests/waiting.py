"""Waiting for what a worker does in another thread or process: poll for the condition itself, never sleep
for a guessed time. `wait_for` is the one way tests wait; `tasks` tells when an in-process worker is idle."""

import time
from collections.abc import Callable

from celery import signals


def wait_for(
    predicate: Callable[[], object], message: str | Callable[[], str] = "", *, timeout: float = 30.0,
    every: float = 0.05,
) -> None:
    """Return as soon as predicate() is true; fail the test with `message` if it is still false after `timeout`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            detail = message() if callable(message) else message
            raise AssertionError(f"still not true after {timeout:g} s: {detail}" if detail
                                 else f"still not true after {timeout:g} s")
        time.sleep(every)


class TaskLedger:
    """The tasks this process published and those its in-thread worker (tests/conftest.py: celery_worker) finished.
    `all_finished` is the worker's "idle": whatever a test queued has run, so nothing more can still happen."""

    def __init__(self) -> None:
        self.published: set[str] = set()
        self.finished: set[str] = set()
        signals.after_task_publish.connect(self._published, weak=False)
        signals.task_postrun.connect(self._finished, weak=False)

    def clear(self) -> None:
        self.published.clear()
        self.finished.clear()

    def _published(self, sender=None, headers=None, body=None, **kwargs) -> None:
        task_id = (headers or {}).get("id") or (body or {}).get("id")
        if task_id:
            self.published.add(task_id)

    def _finished(self, sender=None, task_id=None, **kwargs) -> None:
        if task_id:
            self.finished.add(task_id)

    def all_finished(self) -> bool:
        return self.published <= self.finished

    def describe(self) -> str:
        return f"{len(self.published - self.finished)} of {len(self.published)} queued tasks have not run"


tasks = TaskLedger()
