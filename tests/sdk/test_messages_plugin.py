"""The pytest plugin's handle gives the anthropic client what it needs, on a port and in-process."""

from __future__ import annotations

import asyncio

import anthropic

from mock_server.testing.handle import MoonshotMock

PATH = "/anthropic/v1/messages"
HI = [{"role": "user", "content": "hi"}]


def test_anthropic_kwargs_on_a_port(moonshot_mock: MoonshotMock) -> None:
    kwargs = moonshot_mock.anthropic_kwargs()
    assert kwargs == {"base_url": moonshot_mock.base_url.removesuffix("/v1") + "/anthropic",
                      "api_key": moonshot_mock.api_key}
    client = anthropic.Anthropic(**kwargs, max_retries=0)
    assert client.messages.create(model="kimi-k3", max_tokens=1024, messages=HI).stop_reason == "end_turn"
    assert moonshot_mock.statuses(PATH) == [200]


def test_anthropic_kwargs_in_process(moonshot_mock_asgi: MoonshotMock) -> None:
    client = anthropic.Anthropic(**moonshot_mock_asgi.anthropic_kwargs(), max_retries=0)
    whole = client.messages.create(model="kimi-k3", max_tokens=1024, messages=HI)
    with client.messages.stream(model="kimi-k3", max_tokens=1024, messages=HI) as stream:
        final = stream.get_final_message()
    assert final.model_dump()["content"] == whole.model_dump()["content"]

    async def run() -> str | None:
        async with anthropic.AsyncAnthropic(**moonshot_mock_asgi.anthropic_kwargs(asynchronous=True),
                                            max_retries=0) as async_client:
            message = await async_client.messages.create(model="kimi-k3", max_tokens=1024, messages=HI)
            return message.stop_reason

    assert asyncio.run(run()) == "end_turn"
    moonshot_mock_asgi.assert_stream_completed(PATH)
