"""A throwaway Redis for the shared-state tests: Debian's `redis-server` on 127.0.0.1.

Installed by `make install` (see SYSTEM_PACKAGES in the Makefile), never during the test run;
started on a free port with no persistence, stopped at the end of the session. Without it the
tests that need it skip with the reason.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_redis(url: str, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian's redis-server package: `make install` "
                    "installs it as root, or install it with your package manager)")
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="moonshot-mock-redis-") as directory:
        process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
             "--appendonly", "no", "--dir", directory, "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            wait_for_redis(url, process)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)
