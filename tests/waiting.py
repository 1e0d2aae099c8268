"""Waiting for what a worker does in another thread or process."""

import time


def wait_for(predicate, timeout: float = 30.0, every: float = 0.2) -> bool:
    """True as soon as predicate() is true; False if it is still false after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False
