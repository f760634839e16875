"""The CLI started as a user starts it, then driven over HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openai import OpenAI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stdout.read() if process.stdout else ''}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("server did not come up")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    config = tmp_path / "mock.yaml"
    config.write_text("api:\n  seed: 3\naccounts:\n  acme:\n    keys: [sk-acme-1]\n    cash_balance: 12.5\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server", "serve", "--port", str(port), "--config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_prints_its_url_and_answers_the_sdk(served: tuple[str, subprocess.Popen]) -> None:
    url, process = served
    client = OpenAI(base_url=f"{url}/v1", api_key="sk-acme-1", max_retries=0)
    completion = client.chat.completions.create(
        model="moonshot-v1-8k", messages=[{"role": "user", "content": "你好"}])
    assert completion.choices[0].message.content
    balance = httpx.get(f"{url}/v1/users/me/balance",
                        headers={"Authorization": "Bearer sk-acme-1"}).json()
    usage = completion.usage  # billed at moonshot-v1-8k's price: $0.20 / $2.00 per M tokens
    assert usage is not None
    cost = (usage.prompt_tokens * 0.20 + usage.completion_tokens * 2.00) / 1_000_000
    assert balance["data"]["cash_balance"] == round(12.5 - cost, 5)
    denied = httpx.get(f"{url}/v1/models", headers={"Authorization": "Bearer sk-unlisted"})
    assert denied.status_code == 401
    process.terminate()
    output, _ = process.communicate(timeout=10)
    assert f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1)" in output
    lines = [line for line in output.splitlines() if " POST /v1/chat/completions " in line]
    assert len(lines) == 1 and " 200 " in lines[0] and " req=" in lines[0]  # the request log
    assert "sk-acme-1" not in output


def test_bad_setting_is_a_clear_error() -> None:
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--clock", "sundial"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "--clock" in result.stderr


def test_bad_config_file_names_the_problem(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("server:\n  port: eighty\n")
    result = subprocess.run([sys.executable, "-m", "mock_server", "--config", str(config)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr == ("moonshot-mock: setting server.port has a bad value: 'eighty' "
                             "(expected a whole number)\n")


def serve_once(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mock_server", "serve", *args],
                          capture_output=True, text=True, timeout=30)


def test_a_port_out_of_range_is_refused() -> None:
    result = serve_once("--port", "80000")
    assert result.returncode == 2 and "listening" not in result.stdout
    assert result.stderr == "moonshot-mock: --port must be between 0 and 65535, got 80000\n"


def test_a_taken_port_is_reported_before_listening_is_claimed() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = serve_once("--port", str(port))
    assert result.returncode == 3 and "listening" not in result.stdout
    assert result.stderr == (f"moonshot-mock: cannot listen: 127.0.0.1:{port} is already in use "
                             "(another server is listening there; choose another with --port)\n")


def test_redis_state_without_a_redis_is_refused_at_start() -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = serve_once("--state", "redis", "--redis-url", f"redis://127.0.0.1:{port}/0")
    assert result.returncode == 3 and "listening" not in result.stdout
    assert result.stderr.startswith(
        f"moonshot-mock: --state redis needs a Redis, and redis://127.0.0.1:{port}/0 does not answer (")
    assert result.stderr.endswith("); start one or pass --redis-url\n")


def test_quiet_turns_the_request_log_off(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", "serve", "--port", str(port),
                                "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        httpx.get(f"{url}/v1/models", headers={"Authorization": "Bearer sk-x"})
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "listening on" in output and "/v1/models" not in output
