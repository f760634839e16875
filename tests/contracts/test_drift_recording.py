"""Drift from a recording: the fake's answers to the recorded requests, compared without a key."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from moonshot_mock_contracts.cli import main
from moonshot_mock_contracts.drift import diff
from moonshot_mock_contracts.recorded import recording_side
from moonshot_mock_contracts.recorded_fake import fake_side

KEY = "sk-drift-recording-99887766"
CHAT = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chat, a stream, an upload and its retrieval, and an error, recorded from a fake."""
    directory = tmp_path_factory.mktemp("drift-recording")
    auth = {"Authorization": f"Bearer {KEY}"}
    with serve_in_thread(create_app(Settings(seed=4))) as upstream, \
            serve_in_thread(create_app(Settings(upstream=upstream, record_dir=directory))) as proxy, \
            httpx.Client(base_url=f"{proxy}/v1", headers=auth) as client:
        client.post("/chat/completions", json=CHAT)
        client.post("/chat/completions", json={**CHAT, "stream": True})
        uploaded = client.post("/files", files={"file": ("a.txt", b"some notes", "text/plain")},
                               data={"purpose": "file-extract"}).json()
        client.get(f"/files/{uploaded['id']}")
        client.post("/chat/completions", json={**CHAT, "model": "no-such-model"})
    return directory


def test_the_fake_does_not_drift_from_its_own_recording(recording: Path) -> None:
    a, b = recording_side(recording), fake_side(recording)
    assert len(a["steps"]) == len(b["steps"]) == 5
    report = diff(a, b)
    assert report["identical"], report
    stream = a["steps"]["0002-post-v1-chat-completions"]
    assert "ends with data: [DONE]" in stream["framing"]
    assert "usage: total_tokens = prompt_tokens + completion_tokens" in stream["framing"]
    assert "choices[].delta.content: string" in stream["shape"]
    retrieved = next(name for name in b["steps"] if name.startswith("0004-get-v1-files-"))
    assert b["steps"][retrieved]["status"] == 200  # the recorded file id mapped to the fake's


def test_a_changed_recording_shows_its_drift(recording: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    changed.mkdir()
    for path in recording.iterdir():
        document = json.loads(path.read_text("utf-8"))
        if path.name.startswith("0001"):
            body = document["reply"]["body"]
            body["usage"]["total_tokens"] += 1
            body["service_tier"] = "standard"
            document["reply"]["headers"]["x-ratelimit-limit"] = "3"
        if path.name.startswith("0002"):
            document["reply"]["events"] = [e for e in document["reply"]["events"]
                                           if e.get("data") != "[DONE]"]
        (changed / path.name).write_text(json.dumps(document), "utf-8")
    out = tmp_path / "report"
    assert main(["drift", str(changed), "--out", str(out)]) == 0
    report = json.loads((out / "drift.json").read_text("utf-8"))
    first, stream = report["steps"]["0001-post-v1-chat-completions"], \
        report["steps"]["0002-post-v1-chat-completions"]
    assert first["shape"]["only_a"] == ["service_tier: string"]
    assert first["headers"]["only_a"] == ["x-ratelimit-limit"]
    assert first["framing"]["only_a"] == ["usage: total_tokens ≠ prompt_tokens + completion_tokens"]
    assert "no data: [DONE] last" in stream["framing"]["only_a"]
    text = (out / "drift.md").read_text("utf-8")
    assert "| 0001-post-v1-chat-completions | shape | service_tier: string | — |" in text


def test_drift_of_a_lone_file_is_refused(tmp_path: Path) -> None:
    lone = tmp_path / "result.json"
    lone.write_text("{}")
    assert main(["drift", str(lone)]) == 2
