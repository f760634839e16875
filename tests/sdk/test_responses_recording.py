"""Record and replay through the Responses door, with the fake itself as the upstream: the
openai SDK's `client.responses` session recorded by the proxy and replayed byte for byte,
named-event streams included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from tests.sdk.test_recording_sdk import Tap

KEY = "sk-recording-secret-5d2e8a"


def session(base_url: str) -> tuple[list[Any], Tap]:
    tap = Tap()
    client = OpenAI(base_url=base_url, api_key=KEY, max_retries=0,
                    http_client=httpx2.Client(transport=tap),
                    default_headers={"Accept-Encoding": "identity"})  # the tap keeps raw bytes
    out: list[Any] = [client.responses.create(model="kimi-k3", input="Say hello").model_dump()]
    out.append([e.model_dump() for e in client.responses.create(
        model="kimi-k3", input="Say hello", stream=True)])
    return out, tap


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[Any], Tap]]:
    directory = tmp_path_factory.mktemp("recording")
    upstream = create_app(Settings(seed=3, stream_event_interval=0.001))
    with serve_in_thread(upstream) as upstream_url:
        proxy = create_app(Settings(upstream=upstream_url, record_dir=directory))
        with serve_in_thread(proxy) as proxy_url:
            results, tap = session(f"{proxy_url}/v1")
    yield directory, results, tap


def test_a_responses_session_replays_byte_for_byte(recorded: tuple[Path, list[Any], Tap]) -> None:
    directory, results, tap = recorded
    assert sorted(p.name for p in directory.iterdir()) == [
        "0001-post-v1-responses.json", "0002-post-v1-responses.json"]
    with serve_in_thread(create_app(Settings(reply_files_dir=directory, replay_strict=True))) as url:
        replayed, replay_tap = session(f"{url}/v1")
    assert replayed == results
    assert replay_tap.seen == tap.seen
    stream = tap.seen[1][3].split(b"\n\n")
    assert stream[0].startswith(b"event: response.created\ndata: {")
    assert stream[-2].startswith(b"event: response.completed\ndata: {")
