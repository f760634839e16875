"""The example project's tests: its client code against the moonshot-mock plugin fixtures."""

from __future__ import annotations

import asyncio

import openai
import pytest
from kimi_client import AsyncNotes, IncompleteAnswer, KimiUnavailable, Notes

from mock_server.testing.handle import MoonshotMock


def notes_for(mock: MoonshotMock, **options: object) -> Notes:
    return Notes(**mock.client_kwargs(), **options)


def test_answers_over_a_real_socket(moonshot_mock: MoonshotMock) -> None:
    assert moonshot_mock.base_url.startswith("http://127.0.0.1:")
    assert notes_for(moonshot_mock).ask("hello")
    moonshot_mock.assert_calls(1)


def test_rate_limits_are_retried_with_backoff(moonshot_mock: MoonshotMock) -> None:
    moonshot_mock.scenario("429,engine_overloaded,ok")
    assert notes_for(moonshot_mock).ask("hello")
    assert moonshot_mock.statuses() == [429, 429, 200]
    moonshot_mock.assert_backoff_grew()


def test_gives_up_after_its_retries(moonshot_mock: MoonshotMock) -> None:
    moonshot_mock.fault("error=server_unavailable;retry_after=0.01")
    with pytest.raises(KimiUnavailable):
        notes_for(moonshot_mock, max_retries=1).ask("hello")
    moonshot_mock.assert_calls(2)


@pytest.mark.parametrize(("error", "cls"), [("invalid_authentication", openai.AuthenticationError),
                                            ("content_filter", openai.BadRequestError)])
def test_client_errors_are_not_retried(moonshot_mock: MoonshotMock, error: str,
                                       cls: type[Exception]) -> None:
    moonshot_mock.fault(f"error={error}")
    with pytest.raises(cls):
        notes_for(moonshot_mock).ask("hello")
    moonshot_mock.assert_not_retried()
    moonshot_mock.assert_calls(1)


def test_stream_is_read_to_done(moonshot_mock: MoonshotMock) -> None:
    assert notes_for(moonshot_mock).stream("hello")
    moonshot_mock.assert_stream_completed()


def test_a_cut_stream_is_reported_not_swallowed(moonshot_mock: MoonshotMock) -> None:
    moonshot_mock.fault("cut_mid_json=3", times=1)
    with pytest.raises(IncompleteAnswer, match="broke off"):
        notes_for(moonshot_mock).stream("hello")
    assert moonshot_mock.calls()[0]["stream"]["cut"] is True


def test_timeout_shorter_than_a_gateway_timeout(moonshot_mock: MoonshotMock) -> None:
    moonshot_mock.fault("gateway_timeout=1s")
    with pytest.raises(openai.APITimeoutError):
        notes_for(moonshot_mock, max_retries=0, timeout=0.2).client.chat.completions.create(
            model="moonshot-v1-8k", messages=[{"role": "user", "content": "hi"}])


def test_the_virtual_clock_moves_when_told(moonshot_mock: MoonshotMock) -> None:
    notes = notes_for(moonshot_mock)
    first = notes.client.chat.completions.create(model="moonshot-v1-8k",
                                                 messages=[{"role": "user", "content": "a"}])
    moonshot_mock.advance(3600)
    second = notes.client.chat.completions.create(model="moonshot-v1-8k",
                                                  messages=[{"role": "user", "content": "a"}])
    assert second.created - first.created == 3600


def test_in_process_without_a_port(moonshot_mock_asgi: MoonshotMock) -> None:
    notes = notes_for(moonshot_mock_asgi)
    assert notes.ask("hello") and notes.stream("hello")
    moonshot_mock_asgi.assert_calls(2)
    moonshot_mock_asgi.assert_stream_completed()


@pytest.mark.parametrize("fault", ["reset", "empty", "garbage"])
def test_in_process_connection_faults(moonshot_mock_asgi: MoonshotMock, fault: str) -> None:
    moonshot_mock_asgi.fault(fault)
    with pytest.raises(KimiUnavailable):
        notes_for(moonshot_mock_asgi, max_retries=0).ask("hello")


def test_in_process_cut_stream_and_timeout(moonshot_mock_asgi: MoonshotMock) -> None:
    moonshot_mock_asgi.scenario("cut_after=2,gateway_timeout=2s")
    with pytest.raises(IncompleteAnswer):
        notes_for(moonshot_mock_asgi).stream("hello")
    with pytest.raises(KimiUnavailable) as caught:
        notes_for(moonshot_mock_asgi, max_retries=0, timeout=0.2).ask("hello")
    assert isinstance(caught.value.__cause__, openai.APITimeoutError)


def test_in_process_async_client(moonshot_mock_asgi: MoonshotMock) -> None:
    moonshot_mock_asgi.scenario("error=engine_overloaded;retry_after=0.01,ok")
    notes = AsyncNotes(**moonshot_mock_asgi.client_kwargs(asynchronous=True))
    assert asyncio.run(notes.ask("hello"))
    assert moonshot_mock_asgi.statuses() == [429, 200]
