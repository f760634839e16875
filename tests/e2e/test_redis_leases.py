"""Concurrency slots in Redis are leases: capacity comes back after any outage or crash.

A real `redis-server` with its data on disk (appendonly, every write synced) is killed while a
stream holds the account's only slot, and started again from its data after the stream ended;
and a replica is killed -9 mid-stream while another serves on. Before leases, the slot of both
streams stayed taken for good (429 until a reset). How long the slot takes to return is printed
(`-s`); it is bounded by `redis_lease_seconds`, never asserted.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.test_cli import free_port, wait_until_up
from tests.redis_fixture import wait_for_redis

KEY = "sk-lease-test"
AUTH = {"Authorization": f"Bearer {KEY}"}
BODY = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}
LEASE_SECONDS = 2
CONFIG = f"""
reply_tokens: [30, 30]
stream_event_interval: 0.1
redis_lease_seconds: {LEASE_SECONDS}
accounts:
  solo: {{keys: [{KEY}], limits: {{concurrency: 1}}}}
"""
RETURN_DEADLINE = 20.0  # far beyond the lease: only a slot that never returns fails the test


class RedisServer:
    """Debian's redis-server on a fixed loopback port, its data kept in `directory`."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed (make install puts it there)")
        self.binary, self.directory, self.port = binary, directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory),
             "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_redis(self.url, self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


def start_mock(redis_url: str, tmp_path: Path, name: str) -> tuple[str, subprocess.Popen[str]]:
    config = tmp_path / f"{name}.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--state", "redis",
         "--redis-url", redis_url, "--redis-prefix", "leases:", "--config", str(config),
         "--quiet", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process)
    return url, process


def chat(url: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/chat/completions", json=BODY, headers=AUTH, timeout=30)


def seconds_until_admitted(url: str) -> float:
    """Poll until the account's slot is free again; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < RETURN_DEADLINE:
        status = chat(url).status_code
        if status == 200:
            return time.monotonic() - started
        assert status in (429, 503), status
        time.sleep(0.1)
    raise AssertionError(f"the concurrency slot did not come back within {RETURN_DEADLINE:g} s")


def open_stream(client: httpx.Client, url: str) -> Iterator[str]:
    body = {**BODY, "stream": True}
    with client.stream("POST", f"{url}/v1/chat/completions", json=body, headers=AUTH) as response:
        assert response.status_code == 200
        yield from response.iter_lines()


def test_a_slot_comes_back_after_redis_dies_mid_stream_and_returns(
        redis_server: RedisServer, tmp_path: Path) -> None:
    url, mock = start_mock(redis_server.url, tmp_path, "one")
    try:
        with httpx.Client(timeout=30) as client:
            lines = open_stream(client, url)
            assert next(lines).startswith("data: ")
            assert chat(url).status_code == 429  # the stream holds the only slot
            redis_server.kill()
            down = chat(url)
            assert down.status_code == 503
            assert down.json()["error"] == {
                "message": "The state backend is unavailable, please try again later",
                "type": "server_unavailable"}
            assert "data: [DONE]" in list(lines)  # the stream ends while Redis is away
        redis_server.start()  # from its appendonly file: the lease is still there
        print(f"\nslot back {seconds_until_admitted(url):.2f} s after Redis returned "
              f"(lease {LEASE_SECONDS} s)")
    finally:
        mock.terminate()
        mock.wait(timeout=20)


def test_a_slot_comes_back_after_a_replica_is_killed_mid_stream(
        redis_server: RedisServer, tmp_path: Path) -> None:
    first, victim = start_mock(redis_server.url, tmp_path, "victim")
    second, survivor = start_mock(redis_server.url, tmp_path, "survivor")
    try:
        with httpx.Client(timeout=30) as client:
            lines = open_stream(client, first)
            assert next(lines).startswith("data: ")
            assert chat(second).status_code == 429  # the replicas share the slot
            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=10)
            with pytest.raises(httpx.HTTPError):
                list(lines)
        print(f"\nslot back {seconds_until_admitted(second):.2f} s after the replica was killed "
              f"(lease {LEASE_SECONDS} s)")
    finally:
        for process in (victim, survivor):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
