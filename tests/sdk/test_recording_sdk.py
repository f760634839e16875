"""Record and replay end to end, with the fake itself as the upstream (no network).

The real `openai` SDK runs a session (chat, stream, tools, files, an error) through a recording
proxy in front of a fake; a second fake replays the recording, and the SDK's session against it
receives the same bytes on the wire, event for event. No key reaches a recorded file.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import openai
import pytest
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

KEY = "sk-recording-secret-7f3a9c1e5b"
MODEL = "moonshot-v1-8k"
WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "The weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]}}}


class Tap(httpx2.BaseTransport):
    """A transport that keeps every answer's status, headers and body bytes as received."""

    def __init__(self) -> None:
        self.inner = httpx2.HTTPTransport()
        self.seen: list[tuple[str, int, str, bytes]] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        answer = self.inner.handle_request(request)
        body = answer.read()
        answer.close()
        self.seen.append((f"{request.method} {request.url.path}", answer.status_code,
                          answer.headers.get("content-type", ""), body))
        headers = [(k, v) for k, v in answer.headers.multi_items()
                   if k.lower() not in ("transfer-encoding", "content-length")]
        return httpx2.Response(answer.status_code, headers=headers, content=body, request=request)


def session(base_url: str) -> tuple[list[Any], Tap]:
    """What a client project's tests would do, with the SDK (retries off: one request each)."""
    tap = Tap()
    client = OpenAI(base_url=base_url, api_key=KEY, max_retries=0,
                    http_client=httpx2.Client(transport=tap))
    user = [{"role": "user", "content": "Say hello"}]
    out: list[Any] = [client.chat.completions.create(model=MODEL, messages=user).model_dump()]
    out.append([c.model_dump() for c in client.chat.completions.create(
        model=MODEL, messages=user, stream=True)])
    out.append(client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "What is the weather in Paris?"}],
        tools=[WEATHER], tool_choice="auto").model_dump())
    uploaded = client.files.create(file=("notes.txt", b"the quarterly notes", "text/plain"),
                                   purpose="file-extract")
    out += [uploaded.id, client.files.retrieve(uploaded.id).model_dump(),
            client.files.content(uploaded.id).text, [f.id for f in client.files.list()]]
    with pytest.raises(openai.NotFoundError) as error:
        client.chat.completions.create(model="no-such-model", messages=user)
    out.append(error.value.body)
    return out, tap


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Any], Tap]]:
    """A session recorded through the proxy; the upstream fake paces its streams."""
    directory = tmp_path_factory.mktemp("recording")
    upstream = create_app(Settings(seed=3, stream_event_interval=0.002))
    with serve_in_thread(upstream) as upstream_url:
        proxy = create_app(Settings(upstream=upstream_url, record_dir=directory))
        with serve_in_thread(proxy) as proxy_url:
            results, tap = session(f"{proxy_url}/v1")
    yield directory, results, tap


@pytest.fixture(scope="module")
def replay_url(recorded: tuple[Path, list[Any], Tap]) -> Iterator[str]:
    with serve_in_thread(create_app(Settings(reply_files_dir=recorded[0], replay_strict=True))) as url:
        yield f"{url}/v1"


def test_the_session_is_recorded_one_file_per_exchange(recorded: tuple[Path, list[Any], Tap]) -> None:
    directory, _, tap = recorded
    names = sorted(p.name for p in directory.iterdir())
    assert len(names) == len(tap.seen) == 9  # the files list reads a second page
    assert names[0] == "0001-post-v1-chat-completions.json"
    assert names[3] == "0004-post-v1-files.json"


def test_no_key_is_written(recorded: tuple[Path, list[Any], Tap]) -> None:
    for path in recorded[0].iterdir():
        text = path.read_text("utf-8")
        assert KEY not in text and KEY[3:] not in text, path.name
        assert "authorization" not in text.lower() and "bearer" not in text.lower(), path.name


def test_the_replay_gives_the_sdk_the_same_bytes(recorded: tuple[Path, list[Any], Tap],
                                                 replay_url: str) -> None:
    _, results, tap = recorded
    replayed, replay_tap = session(replay_url)
    assert replayed == results
    assert len(replay_tap.seen) == len(tap.seen)
    for original, again in zip(tap.seen, replay_tap.seen, strict=True):
        assert again == original  # operation, status, content type and body, byte for byte


def test_the_stream_replays_event_for_event(recorded: tuple[Path, list[Any], Tap]) -> None:
    stream = recorded[2].seen[1]
    assert stream[2].startswith("text/event-stream")
    events = stream[3].split(b"\n\n")
    assert events[-2] == b"data: [DONE]" and events[-1] == b""
    assert all(e.startswith(b"data: {") for e in events[:-2])


def test_strict_replay_names_the_closest_recorded_request(replay_url: str) -> None:
    client = OpenAI(base_url=replay_url, api_key="sk-any", max_retries=0)
    with pytest.raises(openai.NotFoundError) as error:
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Say hi"}])
    message = error.value.body["message"]
    assert error.value.body["type"] == "resource_not_found_error"
    assert "0001-post-v1-chat-completions" in message
    assert "body.messages[0].content: recorded 'Say hello', sent 'Say hi'" in message


def test_without_strict_an_unmatched_request_gets_the_fakes_answer(
        recorded: tuple[Path, list[Any], Tap]) -> None:
    with serve_in_thread(create_app(Settings(reply_files_dir=recorded[0]))) as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="sk-any", max_retries=0)
        answer = client.chat.completions.create(model=MODEL,
                                                messages=[{"role": "user", "content": "Other"}])
        assert answer.choices[0].message.content
        again = client.chat.completions.create(model=MODEL,
                                               messages=[{"role": "user", "content": "Say hello"}])
        assert again.model_dump() == recorded[1][0]


def arrival_times(url: str, body: dict[str, Any]) -> tuple[list[float], bytes]:
    """Seconds from the answer's start to each chunk's arrival, and the bytes."""
    times: list[float] = []
    received = b""
    with httpx.stream("POST", f"{url}/v1/chat/completions", json=body,
                      headers={"Authorization": f"Bearer {KEY}"}) as answer:
        started = time.perf_counter()
        for chunk in answer.iter_raw():
            times.append(time.perf_counter() - started)
            received += chunk
    return times, received


def test_replayed_streams_keep_the_recorded_pacing(tmp_path: Path) -> None:
    """Each event leaves at its recorded time (the upstream paces them 50 ms apart);
    `replay_speed: 0` sends them at once. A loose bound: pacing, not performance."""
    body = {"model": MODEL, "stream": True, "max_tokens": 6,
            "messages": [{"role": "user", "content": "Count"}]}
    upstream = create_app(Settings(seed=1, stream_event_interval=0.05))
    with serve_in_thread(upstream) as upstream_url, \
            serve_in_thread(create_app(Settings(upstream=upstream_url, record_dir=tmp_path))) as proxy:
        recorded_times, recorded_bytes = arrival_times(proxy, body)
    settings = Settings(reply_files_dir=tmp_path)
    with serve_in_thread(create_app(settings)) as url:
        replayed_times, replayed_bytes = arrival_times(url, body)
    with serve_in_thread(create_app(dataclasses.replace(settings, replay_speed=0))) as url:
        instant_times, instant_bytes = arrival_times(url, body)
    assert replayed_bytes == recorded_bytes == instant_bytes
    assert recorded_times[-1] > 0.2
    assert abs(replayed_times[-1] - recorded_times[-1]) < 0.5 * recorded_times[-1]
    assert instant_times[-1] < recorded_times[-1] / 2
