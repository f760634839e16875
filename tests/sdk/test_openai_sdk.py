"""The real `openai` SDK, unchanged, against the fake over a real socket."""

from __future__ import annotations

import asyncio

import httpx
import openai
import pytest
from openai import AsyncOpenAI, OpenAI

from tests.conftest import API_KEY, CANONICAL_MESSAGES

MODEL = "moonshot-v1-8k"


@pytest.fixture
def sdk(live_url: str) -> OpenAI:
    return OpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0,
                  _strict_response_validation=True)


@pytest.fixture
def async_sdk(live_url: str) -> AsyncOpenAI:
    return AsyncOpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0,
                       _strict_response_validation=True)


def test_sync_completion(sdk: OpenAI) -> None:
    completion = sdk.chat.completions.create(model=MODEL, messages=CANONICAL_MESSAGES,
                                             temperature=0.3)
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.total_tokens == (completion.usage.prompt_tokens
                                             + completion.usage.completion_tokens)
    assert completion.system_fingerprint is None  # real non-stream answers carry none


def test_async_completion(async_sdk: AsyncOpenAI) -> None:
    async def run() -> list[str]:
        results = await asyncio.gather(*(
            async_sdk.chat.completions.create(
                model=MODEL, messages=[{"role": "user", "content": f"question {i}"}])
            for i in range(5)))
        return [r.choices[0].message.content or "" for r in results]

    contents = asyncio.run(run())
    assert all(contents) and len(set(contents)) == 5


def test_streaming_matches_non_stream(sdk: OpenAI) -> None:
    request = {"model": MODEL, "messages": CANONICAL_MESSAGES, "temperature": 0.3}
    full = sdk.chat.completions.create(**request).choices[0].message.content
    chunks = list(sdk.chat.completions.create(**request, stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == full
    assert chunks[-1].choices[0].finish_reason == "stop"
    usage = chunks[-1].choices[0].model_extra["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_stream_include_usage(sdk: OpenAI) -> None:
    chunks = list(sdk.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True,
        stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.prompt_tokens > 0


def test_async_streaming(async_sdk: AsyncOpenAI) -> None:
    async def run() -> str:
        stream = await async_sdk.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": "hi"}], stream=True)
        return "".join([c.choices[0].delta.content or "" async for c in stream])

    assert asyncio.run(run())


def test_multi_turn_conversation(sdk: OpenAI) -> None:
    history = [{"role": "system", "content": "You are Kimi."}]
    for question in ("Hello", "And then?", "Thanks"):
        history.append({"role": "user", "content": question})
        answer = sdk.chat.completions.create(model=MODEL, messages=history)
        history.append({"role": "assistant", "content": answer.choices[0].message.content})
    assert len(history) == 7
    assert len({m["content"] for m in history if m["role"] == "assistant"}) == 3


def test_tool_call_round_trip(sdk: OpenAI) -> None:
    tools = [{"type": "function", "function": {
        "name": "get_weather", "description": "Weather of a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                       "required": ["city"]}}}]
    messages: list = [{"role": "user", "content": "Weather in Beijing?"}]
    first = sdk.chat.completions.create(model=MODEL, messages=messages, tools=tools)
    call = first.choices[0].message.tool_calls[0]
    assert first.choices[0].finish_reason == "tool_calls"
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": "sunny, 22°C"}]
    second = sdk.chat.completions.create(model=MODEL, messages=messages, tools=tools)
    assert second.choices[0].finish_reason == "stop"


def test_models_list(sdk: OpenAI) -> None:
    models = sdk.models.list()
    ids = [m.id for m in models.data]
    assert "moonshot-v1-8k" in ids and "kimi-k2.5" in ids
    assert next(m for m in models.data if m.id == "kimi-k2.5").model_extra["context_length"] == 262144


def test_estimate_token_count_with_raw_post(sdk: OpenAI) -> None:
    result = sdk.post("/tokenizers/estimate-token-count", cast_to=object,
                      body={"model": MODEL, "messages": CANONICAL_MESSAGES})
    assert abs(result["data"]["total_tokens"] - 80) <= 2  # documented: 80
    usage = sdk.chat.completions.create(model=MODEL, messages=CANONICAL_MESSAGES).usage
    assert usage.prompt_tokens == result["data"]["total_tokens"] + 3  # the generation prompt


def test_errors_raise_the_sdk_classes(sdk: OpenAI, live_url: str) -> None:
    with pytest.raises(openai.NotFoundError) as not_found:
        sdk.chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    assert not_found.value.body == {"message": "Not found the model nope or Permission denied",
                                    "type": "resource_not_found_error"}
    with pytest.raises(openai.BadRequestError):
        sdk.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": ""}])
    bad_key = OpenAI(base_url=f"{live_url}/v1", api_key="not-a-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad_key.models.list()


def test_plain_http_clients_work(live_url: str) -> None:
    response = httpx.post(f"{live_url}/v1/chat/completions",
                          headers={"Authorization": f"Bearer {API_KEY}"},
                          json={"model": MODEL, "messages": [{"role": "user", "content": "hi"}]})
    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"]
