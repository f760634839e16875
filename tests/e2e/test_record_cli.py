"""`moonshot-mock record` and `serve --reply-files-dir` started as a user starts them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from tests.e2e.test_cli import free_port, wait_until_up

KEY = "sk-cli-recording-0a1b2c3d4e"


@contextmanager
def started(*args: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server", *args, "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_record_then_serve_the_recording(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    ask = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "你好"}]}
    with serve_in_thread(create_app(Settings(seed=2))) as upstream, \
            started("record", "--upstream", f"{upstream}/v1", "--record-dir", str(out)) as proxy:
        client = OpenAI(base_url=f"{proxy}/v1", api_key=KEY, max_retries=0)
        recorded = client.chat.completions.create(**ask).model_dump()
    assert [p.name for p in out.iterdir()] == ["0001-post-v1-chat-completions.json"]
    assert KEY not in (out / "0001-post-v1-chat-completions.json").read_text("utf-8")
    with started("serve", "--reply-files-dir", str(out), "--replay-strict") as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="sk-ci", max_retries=0)
        assert client.chat.completions.create(**ask).model_dump() == recorded
        missing = httpx.get(f"{url}/v1/models", headers={"Authorization": "Bearer sk-ci"})
        assert missing.status_code == 404
        assert "closest recorded request is 0001-post-v1-chat-completions" in \
            missing.json()["error"]["message"]


def test_a_missing_recording_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mock_server", "serve", "--reply-files-dir",
                             str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "setting reply_files_dir: directory" in result.stderr and "does not exist" in result.stderr


def test_record_needs_an_upstream() -> None:
    result = subprocess.run([sys.executable, "-m", "mock_server", "record", "--record-dir", "x"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "--upstream" in result.stderr
