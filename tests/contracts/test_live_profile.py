"""The live profile, exercised without a key: same code path, base URL pointed at the fake."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from moonshot_mock_contracts.cli import NO_KEY, main
from moonshot_mock_contracts.pacing import Pacer, PoliteSession
from moonshot_mock_contracts.run import RunRequest, execute
from tests.contracts.broken import RewriteBody

PLAN_STEPS = {"models", "balance", "estimate", "chat", "chat-stream", "messages",
              "messages-stream", "responses", "responses-stream", "files-list",
              "files-upload", "files-link-RetrieveUploadedFile",
              "files-link-RetrieveUploadedFileContent", "files-link-DeleteUploadedFile",
              "batches-list", "batches-upload", "batches-create",
              "batches-link-RetrieveCreatedBatch", "batches-link-CancelCreatedBatch",
              "caching-list"}  # explicit caching is off by default: the flow stops at its 404


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.now += seconds


class Recorder:
    """Keeps what reached the fake: method, path, JSON body."""

    def __init__(self, app: Any) -> None:
        self.app, self.seen = app, []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        self.seen.append((scope["method"], scope["path"], body))
        replayed = iter([{"type": "http.request", "body": body, "more_body": False}])

        async def replay() -> Any:
            return next(replayed, {"type": "http.disconnect"})

        await self.app(scope, replay, send)


@pytest.fixture
def fake_url() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(create_app(Settings(seed=9)))
    with serve_in_thread(recorder) as url:
        yield url, recorder


def live_run(url: str, time: FakeTime, tmp_path: Path | None = None) -> dict[str, Any]:
    return execute(RunRequest(profile="live", api_key="sk-pretend-real", base_url=url,
                              out=tmp_path, clock=time.clock, sleep=time.sleep))


def test_pretend_real_run_is_clean_paced_and_cheap(fake_url: tuple[str, Recorder],
                                                     tmp_path: Path) -> None:
    url, recorder = fake_url
    time = FakeTime()
    result = live_run(url, time, tmp_path)
    assert set(result["steps"]) == PLAN_STEPS
    assert {s["status"] for n, s in result["steps"].items() if n != "caching-list"} == {200}
    assert result["steps"]["caching-list"]["status"] == 404
    assert result["totals"]["problems"] == 0 and result["run"]["errors"] == []
    sent = len(recorder.seen)
    assert sent == len(PLAN_STEPS) + 2  # plus the estimate and after-delete probes
    assert time.slept == [21.0] * (sent - 1)  # Tier0: 3 RPM, one request every 21 s
    chats = [json.loads(b) for m, p, b in recorder.seen if p == "/v1/chat/completions"]
    assert [(c["model"], c["max_tokens"], "max_completion_tokens" in c) for c in chats] == [
        ("moonshot-v1-8k", 16, False)] * 2
    assert (tmp_path / "result.json").is_file() and (tmp_path / "report.md").is_file()


def test_it_deletes_only_the_file_it_uploaded(fake_url: tuple[str, Recorder]) -> None:
    url, recorder = fake_url
    result = live_run(url, FakeTime())
    deletes = [p for m, p, _ in recorder.seen if m == "DELETE"]
    assert result["steps"]["files-upload"]["status"] == 200
    assert len(deletes) == 1
    listed = [p for m, p, _ in recorder.seen if m == "GET" and p.startswith("/v1/files/")]
    assert listed[0] == deletes[0]  # the id the upload answered, via the spec's links
    assert all(m in ("GET", "POST", "DELETE") for m, _, _ in recorder.seen)


def test_its_batch_is_cancelled_before_anything_runs(fake_url: tuple[str, Recorder]) -> None:
    url, recorder = fake_url
    result = live_run(url, FakeTime())
    assert result["steps"]["batches-link-CancelCreatedBatch"]["status"] == 200
    created = [p for m, p, _ in recorder.seen if m == "POST" and p.startswith("/v1/batches/")]
    assert len(created) == 1 and created[0].endswith("/cancel")
    upload = next(b for m, p, b in recorder.seen if p == "/v1/files" and b"batch" in b)
    assert b'"max_tokens": 16' in upload and b"kimi-k2.5" in upload  # one small line


def test_the_live_profile_reports_drift_it_sees(tmp_path: Path) -> None:
    bumped = RewriteBody(create_app(Settings(seed=9)), "POST", "/v1/tokenizers",
                         lambda status, body: body.replace(b'"total_tokens":', b'"total_tokens":1'))
    with serve_in_thread(bumped) as url:
        result = live_run(url, FakeTime())
    assert result["steps"]["chat"]["problems"][0].startswith("moonshot_estimate_matches_usage")


def test_without_a_key_it_skips_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--profile", "live"], env={}) == 0
    assert capsys.readouterr().out.strip() == NO_KEY


class Answers(BaseAdapter):
    """A transport that answers a scripted sequence of statuses."""

    def __init__(self, statuses: list[int]) -> None:
        super().__init__()
        self.statuses = statuses

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = requests.Response()
        response.status_code, response.request = self.statuses.pop(0), request
        response._content = b"{}"
        return response

    def close(self) -> None:
        pass


@pytest.mark.parametrize(("statuses", "status", "slept"), [
    ([200], 200, []),
    ([429, 429, 200], 200, [2.0, 4.0]),
    ([429] * 6, 429, [2.0, 4.0, 8.0, 16.0, 32.0]),
])
def test_429_backs_off_politely(statuses: list[int], status: int, slept: list[float]) -> None:
    time = FakeTime()
    session = PoliteSession(Pacer(interval=0, clock=time.clock, sleep=time.sleep))
    session.mount("http://", Answers(statuses))
    assert session.get("http://api.test/v1/models").status_code == status
    assert time.slept == slept
