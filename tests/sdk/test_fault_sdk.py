"""Every fault kind through the real `openai` SDK (sync and async) over a real socket.

What a client test relies on: the exception class, whether the SDK retried (counted in the
journal), and that a broken stream raises instead of ending quietly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from mock_server.testing.handle import MoonshotMock
from tests.conftest import API_KEY

MODEL = "moonshot-v1-8k"
MESSAGES = [{"role": "user", "content": "hi"}]
MODES = ["sync", "async"]


@pytest.fixture(scope="module", params=["httptools", "h11"])
def server(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any]]:
    app = create_app(Settings(seed=5))
    with serve_in_thread(app, http=request.param) as url:
        yield f"{url}/v1", app


@pytest.fixture
def mock(server: tuple[str, Any]) -> MoonshotMock:
    url, app = server
    mock = MoonshotMock.of(app, url, API_KEY)
    mock.control.clear_journal()
    mock.clear_faults()
    return mock


def create(mock: MoonshotMock, mode: str, headers: dict[str, str] | None = None, *,
           retries: int = 0, timeout: float = 10.0, stream: bool = False) -> Any:
    """One chat call, sync or async; a stream is read to its end. Returns content or chunks."""
    options: dict[str, Any] = {"base_url": mock.base_url, "api_key": API_KEY,
                               "max_retries": retries, "timeout": timeout}
    kwargs: dict[str, Any] = {"model": MODEL, "messages": MESSAGES,
                              "extra_headers": headers or {}, "stream": stream}
    if mode == "sync":
        with OpenAI(**options) as client:
            result = client.chat.completions.create(**kwargs)
            return [c for c in result] if stream else result.choices[0].message.content

    async def run() -> Any:
        async with AsyncOpenAI(**options) as client:
            result = await client.chat.completions.create(**kwargs)
            return [c async for c in result] if stream else result.choices[0].message.content

    return asyncio.run(run())


def fault(text: str) -> dict[str, str]:
    return {"X-Mock-Fault": text}


ERROR_CLASSES = [
    ("engine_overloaded", openai.RateLimitError, 429, "engine_overloaded_error"),
    ("rate_limit_concurrency", openai.RateLimitError, 429, "rate_limit_reached_error"),
    ("rate_limit_rpm", openai.RateLimitError, 429, "rate_limit_reached_error"),
    ("rate_limit_tpm", openai.RateLimitError, 429, "rate_limit_reached_error"),
    ("rate_limit_tpd", openai.RateLimitError, 429, "rate_limit_reached_error"),
    ("quota", openai.RateLimitError, 429, "exceeded_current_quota_error"),
    ("content_filter", openai.BadRequestError, 400, "content_filter"),
    ("invalid_request", openai.BadRequestError, 400, "invalid_request_error"),
    ("invalid_authentication", openai.AuthenticationError, 401, "invalid_authentication_error"),
    ("permission_denied", openai.PermissionDeniedError, 403, "permission_denied_error"),
    ("quota_inactive", openai.PermissionDeniedError, 403, "exceeded_current_quota_error"),
    ("not_found", openai.NotFoundError, 404, "resource_not_found_error"),
    ("server_error", openai.InternalServerError, 500, "server_error"),
    ("server_unavailable", openai.InternalServerError, 503, "server_unavailable"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("name", "cls", "status", "type_"), ERROR_CLASSES)
def test_error_faults_raise_the_sdk_class(mock: MoonshotMock, mode: str, name: str,
                                          cls: type[openai.APIStatusError], status: int,
                                          type_: str) -> None:
    with pytest.raises(cls) as caught:
        create(mock, mode, fault(f"error={name}"))
    assert caught.value.status_code == status
    assert caught.value.type == type_
    mock.assert_calls(1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kind", ["reset", "empty", "garbage"])
def test_connection_faults_raise_connection_error_and_are_retried(
        mock: MoonshotMock, mode: str, kind: str) -> None:
    mock.fault(kind, times=1)
    assert create(mock, mode, retries=1)  # the retry gets an answer
    assert mock.statuses() == [None, 200]
    with pytest.raises(openai.APIConnectionError) as caught:
        create(mock, mode, fault(kind))
    assert not isinstance(caught.value, openai.APITimeoutError)


@pytest.mark.parametrize("mode", MODES)
def test_429_then_ok_is_retried_with_growing_backoff(mock: MoonshotMock, mode: str) -> None:
    headers = {"X-Mock-Session": f"backoff-{mode}", "X-Mock-Scenario": "429,429,ok"}
    assert create(mock, mode, headers, retries=2)
    assert mock.statuses() == [429, 429, 200]
    waits = mock.assert_backoff_grew()
    assert waits[0] >= 0.3  # the SDK's first wait is 0.5s less up to 25% jitter


@pytest.mark.parametrize("mode", MODES)
def test_5xx_is_retried_and_retry_after_is_honoured(mock: MoonshotMock, mode: str) -> None:
    steps = ("error=server_error;retry_after=0.01,error=server_unavailable;retry_after=0.01,"
             "error=engine_overloaded;retry_after=0.01,ok")
    headers = {"X-Mock-Session": f"5xx-{mode}", "X-Mock-Scenario": steps}
    assert create(mock, mode, headers, retries=3)
    assert mock.statuses() == [500, 503, 429, 200]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("name", "cls"), [("invalid_request", openai.BadRequestError),
                                           ("invalid_authentication",
                                            openai.AuthenticationError)])
def test_400_and_401_are_not_retried(mock: MoonshotMock, mode: str, name: str,
                                     cls: type[Exception]) -> None:
    with pytest.raises(cls):
        create(mock, mode, fault(f"error={name}"), retries=3)
    mock.assert_calls(1)
    mock.assert_not_retried()


@pytest.mark.parametrize("mode", MODES)
def test_gateway_timeout_answers_504_html_after_the_delay(mock: MoonshotMock, mode: str) -> None:
    with pytest.raises(openai.InternalServerError) as caught:
        create(mock, mode, fault("gateway_timeout=50ms"))
    assert caught.value.status_code == 504
    assert caught.value.response.headers["content-type"] == "text/html; charset=utf-8"
    assert "504 Gateway Time-out" in caught.value.response.text


@pytest.mark.parametrize("mode", MODES)
def test_client_timeout_shorter_than_the_504_delay(mock: MoonshotMock, mode: str) -> None:
    with pytest.raises(openai.APITimeoutError):
        create(mock, mode, fault("gateway_timeout=2s"), timeout=0.2)
    mock.assert_calls(1)


@pytest.mark.parametrize("mode", MODES)
def test_latency_beyond_the_timeout_is_retried_then_raises(mock: MoonshotMock, mode: str) -> None:
    mock.fault("latency=2s")
    with pytest.raises(openai.APITimeoutError):
        create(mock, mode, timeout=0.2, retries=1)
    mock.assert_calls(2)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cut", ["cut_after=2", "cut_mid_json=2", "cut_after=0"])
def test_a_cut_stream_raises_instead_of_ending_quietly(mock: MoonshotMock, mode: str,
                                                       cut: str) -> None:
    with pytest.raises(openai.APIConnectionError):
        create(mock, mode, fault(cut), stream=True, retries=2)
    mock.assert_calls(1)  # the answer had started: the SDK does not retry a broken stream
    entry = mock.calls()[0]
    assert entry["stream"] == {"events": int(cut[-1]), "done": False, "cut": True}


@pytest.mark.parametrize("mode", MODES)
def test_stall_longer_than_the_read_timeout_raises_timeout(mock: MoonshotMock, mode: str) -> None:
    with pytest.raises(openai.APITimeoutError):
        create(mock, mode, fault("stall=2s@2"), stream=True, timeout=0.3)


@pytest.mark.parametrize("mode", MODES)
def test_no_done_ends_quietly_and_the_journal_says_so(mock: MoonshotMock, mode: str) -> None:
    chunks = create(mock, mode, fault("no_done"), stream=True)
    assert chunks and chunks[-1].choices[0].finish_reason == "stop"
    with pytest.raises(AssertionError, match="did not reach"):
        mock.assert_stream_completed()


@pytest.mark.parametrize("mode", MODES)
def test_duplicate_and_pace_reach_done(mock: MoonshotMock, mode: str) -> None:
    plain = create(mock, mode, stream=True)
    duplicated = create(mock, mode, fault("duplicate=2;ttft=10ms;tps=500"), stream=True)
    assert len(duplicated) == len(plain) + 1
    assert duplicated[1] == duplicated[2]
    mock.assert_stream_completed()


def test_no_key_in_server_logs_or_journal(mock: MoonshotMock,
                                          caplog: pytest.LogCaptureFixture) -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "moonshot_mock"):
        caplog.set_level("DEBUG", logger=name)
    mock.fault("error=server_error", times=1)
    with pytest.raises(openai.InternalServerError):
        create(mock, "sync")
    with pytest.raises(openai.APIConnectionError):
        create(mock, "sync", fault("reset"))
    with pytest.raises(openai.APIConnectionError):
        create(mock, "sync", fault("cut_after=1"), stream=True)
    assert create(mock, "sync")
    exported = mock.export_journal().decode()
    assert len(mock.calls()) == 4
    assert API_KEY not in exported and API_KEY not in caplog.text
    assert mock.calls()[0]["key_id"].startswith("ak-")


def test_a_cut_stream_frees_its_slot_and_is_not_billed() -> None:
    app = create_app(Settings(seed=5, clock="virtual", tier="Tier0"))  # concurrency 1
    with serve_in_thread(app) as url:
        mock = MoonshotMock.of(app, f"{url}/v1", API_KEY)
        with OpenAI(base_url=mock.base_url, api_key=API_KEY, max_retries=0) as client:
            def balance() -> float:
                return client.get("/users/me/balance", cast_to=object)["data"]["cash_balance"]

            start = balance()
            with pytest.raises(openai.APIConnectionError):
                create(mock, "sync", fault("cut_after=1"), stream=True)
            assert balance() == start
            assert create(mock, "sync", fault("no_done"), stream=True)  # the slot is free again
            assert balance() < start
    assert mock.statuses() == [200, 200]
