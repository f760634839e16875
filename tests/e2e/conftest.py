"""Fixtures of the end-to-end tests: the CLI started as a user starts it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.test_cli import free_port, wait_until_up

Start = Callable[..., tuple[str, "subprocess.Popen[bytes]"]]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Start]:
    """`start(*flags)` serves `--data-dir tmp/data` on a free port and returns its URL and
    process; every process still running is killed at the end."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(*flags: str) -> tuple[str, subprocess.Popen[bytes]]:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--data-dir",
             str(tmp_path / "data"), "--log-level", "warning", *flags],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url, process)  # type: ignore[arg-type]
        return url, process

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
