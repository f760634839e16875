"""Record and replay through the Messages door, with the fake itself as the upstream.

The real `anthropic` SDK runs a session (a message, a stream, a tool call, an error) through a
recording proxy in front of a fake; a second fake replays the recording, and the same session
against it gets the same messages. The key (sent as `x-api-key`) reaches no recorded file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import pytest

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

KEY = "sk-recording-secret-2c9d4e"
WEATHER = {"name": "get_weather", "input_schema": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
HELLO = [{"role": "user", "content": "Say hello"}]


def session(base_url: str) -> list[Any]:
    client = anthropic.Anthropic(base_url=base_url, api_key=KEY, max_retries=0)
    out: list[Any] = [client.messages.create(model="kimi-k3", max_tokens=1024, messages=HELLO)]
    with client.messages.stream(model="kimi-k3", max_tokens=1024, messages=HELLO) as stream:
        out.append(stream.get_final_message())
    out.append(client.messages.create(model="kimi-k3", max_tokens=1024, tools=[WEATHER],
                                      tool_choice={"type": "any"},
                                      messages=[{"role": "user", "content": "Weather in Oslo?"}]))
    with pytest.raises(anthropic.NotFoundError) as error:
        client.messages.create(model="no-such-model", max_tokens=16, messages=HELLO)
    return [m.model_dump() for m in out] + [error.value.body]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Any]]]:
    directory = tmp_path_factory.mktemp("messages-recording")
    with serve_in_thread(create_app(Settings(seed=3))) as upstream_url:
        proxy = create_app(Settings(upstream=upstream_url, record_dir=directory))
        with serve_in_thread(proxy) as proxy_url:
            yield directory, session(f"{proxy_url}/anthropic")


def test_the_session_is_recorded_without_the_key(recorded: tuple[Path, list[Any]]) -> None:
    directory, _ = recorded
    names = sorted(p.name for p in directory.iterdir())
    assert names == [f"000{n}-post-anthropic-v1-messages.json" for n in range(1, 5)]
    for path in directory.iterdir():
        text = path.read_text("utf-8")
        assert KEY not in text and "x-api-key" not in text.lower(), path.name


def test_the_replay_answers_the_same_session(recorded: tuple[Path, list[Any]]) -> None:
    directory, results = recorded
    with serve_in_thread(create_app(Settings(reply_files_dir=directory, replay_strict=True))) as url:
        replayed = session(f"{url}/anthropic")
    assert replayed[:3] == results[:3]
    # the unknown model is refused by the checks, before any recording is consulted: the same
    # error, under the replaying fake's own request id
    assert replayed[3]["error"] == results[3]["error"]
    assert results[1]["content"][-1]["type"] == "text" and results[2]["stop_reason"] == "tool_use"
