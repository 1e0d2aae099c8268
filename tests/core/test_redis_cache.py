"""The cache rides out a Redis that stops answering, and forgets what it could not write once Redis is back
(a real redis-server of the test's own, frozen with SIGSTOP as a network partition would leave it)."""

import shutil
import signal
import socket
import subprocess
import time

import pytest

from core import redis_cache
from tests.conftest import missing

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_server():
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server", "install Debian's redis-server")
    port = _free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S603
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield server, redis_cache.RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_timeout": 0.2}})
    server.send_signal(signal.SIGCONT)
    server.terminate()
    server.wait(10)


def test_an_unreachable_redis_is_a_miss_and_a_write_made_meanwhile_is_not_undone(redis_server, monkeypatch):
    monkeypatch.setattr(redis_cache, "RETRY_AFTER_SECONDS", 0.1)
    server, cache = redis_server
    cache.set("session", "signed in")
    cache.set("page", "rendered")

    server.send_signal(signal.SIGSTOP)  # Redis keeps its data but answers nothing
    assert cache.get("session", "miss") == "miss"
    cache.delete("session")  # signing out while Redis is away: skipped, remembered
    assert cache.get_many(["page"]) == {}

    server.send_signal(signal.SIGCONT)
    time.sleep(0.15)  # past RETRY_AFTER_SECONDS: the next operation tries Redis again
    assert cache.get("page") == "rendered"  # Redis is back: what it holds is served again...
    assert cache.get("session", "gone") == "gone"  # ...except what changed meanwhile, which is forgotten
