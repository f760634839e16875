"""`moonshot-mock journal`: a running server's journal in the shell, with the control plane's
filters, `--follow`, the admin token, and clear failures."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from mock_server.app import create_app
from mock_server.server.thread import serve_in_thread
from mock_server.settings import Settings
from tests.e2e.test_cli import free_port

CHAT = "/v1/chat/completions"
HI = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}
AUTH = {"Authorization": "Bearer sk-journal-cli"}
TOKEN = "journal-admin"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    settings = dataclasses.replace(Settings(), admin_token=TOKEN, request_log=False)
    with serve_in_thread(create_app(settings), settings=settings) as root:
        httpx.post(f"{root}{CHAT}", json=HI, headers=AUTH)
        httpx.post(f"{root}{CHAT}", json={**HI, "temperature": 9}, headers=AUTH)
        httpx.get(f"{root}/v1/models", headers=AUTH)
        yield root


def journal(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_server", "journal", *args],
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_it_prints_a_line_per_request(url: str) -> None:
    done = journal("--url", url, "--admin-token", TOKEN)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("#1 ") and f" POST {CHAT} 200 " in lines[0]
    assert "model=moonshot-v1-8k" in lines[0] and "tokens=" in lines[0] and " req=" in lines[0]
    assert f" POST {CHAT} 400 " in lines[1]
    assert " GET /v1/models 200 " in lines[2]


def test_the_control_planes_filters(url: str) -> None:
    by_status = journal("--url", url, "--admin-token", TOKEN, "--status", "400").stdout.splitlines()
    assert len(by_status) == 1 and " 400 " in by_status[0]
    by_path = journal("--url", url, "--admin-token", TOKEN, "--path", "/v1/models", "--json")
    rows = [json.loads(row) for row in by_path.stdout.splitlines()]
    assert [(row["method"], row["path"], row["status"]) for row in rows] == [
        ("GET", "/v1/models", 200)]
    last = journal("--url", url, "--admin-token", TOKEN, "--limit", "1").stdout.splitlines()
    assert len(last) == 1 and "/v1/models" in last[0]


def test_follow_prints_requests_as_they_complete(url: str) -> None:
    follower = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "journal", "--url", url, "--admin-token", TOKEN,
         "--follow", "--interval", "0.1", "--path", "/v1/files"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert follower.stdout is not None
        httpx.get(f"{url}/v1/files", headers=AUTH)
        assert " GET /v1/files 200 " in follower.stdout.readline()
        httpx.get(f"{url}/v1/files/missing", headers=AUTH)  # another path: filtered out
        httpx.get(f"{url}/v1/files", headers=AUTH)
        second = follower.stdout.readline()
        assert " GET /v1/files 200 " in second and second.split()[0] != "#1"
    finally:
        follower.terminate()
        follower.wait(timeout=10)


def test_a_locked_control_plane_needs_the_token(url: str) -> None:
    done = journal("--url", url)
    assert done.returncode == 2
    assert "the control plane needs the admin token" in done.stderr


def test_no_server_is_a_clear_error() -> None:
    done = journal("--url", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 3
    assert "cannot read http://127.0.0.1:" in done.stderr
    assert "is `moonshot-mock serve` running there?" in done.stderr
