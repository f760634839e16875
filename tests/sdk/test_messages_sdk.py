"""The real `anthropic` SDK, unchanged, against the Messages door over a real socket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import anthropic
import fastjsonschema
import httpx
import pytest

from tests.conftest import API_KEY

MODEL = "kimi-k3"
HELLO = [{"role": "user", "content": "Hello, who are you?"}]
WEATHER = {"name": "get_weather", "description": "Current weather of a city.",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}},
                            "required": ["city"]}}


@pytest.fixture
def sdk(live_url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=f"{live_url}/anthropic", api_key=API_KEY, max_retries=0,
                               _strict_response_validation=True)


def without_id(message: anthropic.types.Message) -> dict[str, Any]:
    return {k: v for k, v in message.model_dump().items() if k != "id"}


def test_create(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(model=MODEL, max_tokens=1024, messages=HELLO)
    assert message.type == "message" and message.role == "assistant" and message.model == MODEL
    assert message.id.startswith("msg_")
    assert [block.type for block in message.content] == ["thinking", "text"]  # kimi-k3 reasons
    assert message.content[1].text and message.stop_reason == "end_turn"
    assert message.stop_sequence is None
    usage = message.usage
    assert usage.input_tokens > 0 and usage.output_tokens > 0
    assert usage.cache_read_input_tokens == 0 and usage.cache_creation_input_tokens == 0


def test_stream_text_and_final_message_equal_the_non_stream_answer(sdk: anthropic.Anthropic) -> None:
    whole = sdk.messages.create(model=MODEL, max_tokens=1024, messages=HELLO)
    with sdk.messages.stream(model=MODEL, max_tokens=1024, messages=HELLO) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == whole.content[1].text
    assert without_id(final) == without_id(whole)


def test_async_create_and_stream(live_url: str) -> None:
    async def run() -> tuple[list[anthropic.types.Message], anthropic.types.Message]:
        async with anthropic.AsyncAnthropic(base_url=f"{live_url}/anthropic", api_key=API_KEY,
                                            max_retries=0) as client:
            answers = await asyncio.gather(*(client.messages.create(
                model=MODEL, max_tokens=512, messages=[{"role": "user", "content": f"question {i}"}])
                for i in range(4)))
            async with client.messages.stream(model=MODEL, max_tokens=512,
                                              messages=[{"role": "user", "content": "question 0"}]) as s:
                final = await s.get_final_message()
            return list(answers), final

    answers, final = asyncio.run(run())
    assert len({a.content[-1].text for a in answers}) == 4
    assert without_id(final) == without_id(answers[0])


def test_a_tool_round_trip(sdk: anthropic.Anthropic) -> None:
    question = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = sdk.messages.create(model=MODEL, max_tokens=1024, tools=[WEATHER],
                                tool_choice={"type": "any"}, messages=question)
    assert first.stop_reason == "tool_use"
    assert [b.type for b in first.content] == ["thinking", "tool_use"]
    call = first.content[-1]
    assert call.name == "get_weather" and isinstance(call.input["city"], str)
    follow_up = [*question, {"role": "assistant", "content": first.content},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id,
                                               "content": "Sunny, 21 C"}]}]
    second = sdk.messages.create(model=MODEL, max_tokens=1024, tools=[WEATHER], messages=follow_up)
    assert second.stop_reason == "end_turn" and second.content[-1].type == "text"
    assert second.usage.input_tokens > first.usage.input_tokens


def test_tool_input_streams_as_partial_json(sdk: anthropic.Anthropic) -> None:
    request = {"model": MODEL, "max_tokens": 1024, "tools": [WEATHER], "tool_choice": {"type": "any"},
               "messages": [{"role": "user", "content": "Weather in Oslo?"}]}
    whole = sdk.messages.create(**request)
    with sdk.messages.stream(**request) as stream:
        final = stream.get_final_message()
    assert without_id(final) == without_id(whole)


def test_thinking_blocks_go_back_unchanged_or_are_refused(sdk: anthropic.Anthropic) -> None:
    first = sdk.messages.create(model=MODEL, max_tokens=1024, tools=[WEATHER],
                                tool_choice={"type": "any"}, messages=[{"role": "user", "content": "Rome?"}])
    thinking, call = first.content
    result = {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": "Rain"}]}
    history = [{"role": "user", "content": "Rome?"}]
    ok = sdk.messages.create(model=MODEL, max_tokens=256, tools=[WEATHER], messages=[
        *history, {"role": "assistant", "content": [thinking, call]}, result])
    assert ok.stop_reason == "end_turn"
    changed = {"type": "thinking", "thinking": thinking.thinking + " (edited)",
               "signature": thinking.signature}
    with pytest.raises(anthropic.BadRequestError) as refused:
        sdk.messages.create(model=MODEL, max_tokens=256, tools=[WEATHER], messages=[
            *history, {"role": "assistant", "content": [changed, call]}, result])
    assert refused.value.body["error"]["message"] == (
        "Invalid request: messages[1].content[0].signature does not match its thinking: pass "
        "thinking blocks back unchanged, with the signature they came with")
    with pytest.raises(anthropic.BadRequestError) as lost:
        sdk.messages.create(model=MODEL, max_tokens=256, tools=[WEATHER], messages=[
            *history, {"role": "assistant", "content": [call]}, result])
    assert lost.value.body["error"] == {
        "type": "invalid_request_error",
        "message": "thinking is enabled but reasoning_content is missing in assistant tool call "
                   "message at index 1"}


def test_structured_output(sdk: anthropic.Anthropic) -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}, "country": {"type": "string"}},
              "required": ["city", "country"], "additionalProperties": False}
    message = sdk.messages.create(model=MODEL, max_tokens=1024, messages=[
        {"role": "user", "content": "A city and its country, as JSON."}],
        extra_body={"output_config": {"format": {"type": "json_schema", "schema": schema}}})
    fastjsonschema.compile(schema)(json.loads(message.content[-1].text))


def test_thinking_disabled_on_a_switchable_model(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(model="kimi-k2.6", max_tokens=512, messages=HELLO,
                                  thinking={"type": "disabled"})
    assert [b.type for b in message.content] == ["text"]
    assert message.usage.output_tokens_details.thinking_tokens == 0


def test_a_bearer_key_works_too(live_url: str) -> None:
    client = anthropic.Anthropic(base_url=f"{live_url}/anthropic", auth_token=API_KEY, max_retries=0)
    assert client.messages.create(model=MODEL, max_tokens=64, messages=HELLO).stop_reason


def test_errors_in_their_envelopes(sdk: anthropic.Anthropic, live_url: str) -> None:
    with pytest.raises(anthropic.NotFoundError) as missing:
        sdk.messages.create(model="kimi-k9", max_tokens=64, messages=HELLO)
    request_id = missing.value.response.headers["msh-request-id"]
    assert missing.value.body == {"type": "error", "error": {
        "type": "resource_not_found_error",
        "message": "Not found the model kimi-k9 or Permission denied"}, "request_id": request_id}
    bad = anthropic.Anthropic(base_url=f"{live_url}/anthropic", api_key="not-a-key", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as unauthorized:
        bad.messages.create(model=MODEL, max_tokens=64, messages=HELLO)
    assert unauthorized.value.body == {"error": {"message": "Invalid Authentication",
                                                 "type": "invalid_authentication_error"}}
    with pytest.raises(anthropic.InternalServerError) as crash:
        sdk.messages.create(model=MODEL, max_tokens=64, messages=HELLO,
                            extra_headers={"X-Mock-Fault": "error=server_error"})
    assert crash.value.body["type"] == "error"
    assert crash.value.body["error"]["type"] == "server_error"
    with pytest.raises(anthropic.BadRequestError) as invalid:
        sdk.messages.create(model=MODEL, max_tokens=0, messages=HELLO)
    assert invalid.value.body["error"]["message"] == \
        "Invalid request: max_tokens must be greater than or equal to 1"


def test_a_missing_max_tokens_is_named(live_url: str) -> None:
    response = httpx.post(f"{live_url}/anthropic/v1/messages", headers={"x-api-key": API_KEY},
                          json={"model": MODEL, "messages": HELLO})
    assert response.status_code == 400
    assert response.json()["error"] == {"type": "invalid_request_error",
                                        "message": "Invalid request: max_tokens is required"}


def test_a_fault(sdk: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.RateLimitError) as caught:
        sdk.messages.create(model=MODEL, max_tokens=64, messages=HELLO,
                            extra_headers={"X-Mock-Fault": "error=engine_overloaded"})
    assert caught.value.body["error"] == {
        "type": "engine_overloaded_error",
        "message": "The engine is currently overloaded, please try again later"}


@pytest.mark.parametrize("cut", ["cut_after=3", "cut_mid_json=3", "cut_after=0"])
def test_a_cut_stream_raises_instead_of_ending_quietly(sdk: anthropic.Anthropic, cut: str) -> None:
    with pytest.raises(anthropic.APIConnectionError), sdk.messages.stream(
            model=MODEL, max_tokens=512, messages=HELLO, extra_headers={"X-Mock-Fault": cut}) as stream:
        stream.get_final_message()


def test_a_scripted_reply_answers_in_blocks(sdk: anthropic.Anthropic, live_url: str) -> None:
    rule = {"id": "messages-weather", "match": {"last_user": "scripted weather"},
            "reply": {"reasoning_content": "Use the tool.", "content": "Checking.",
                      "tool_calls": [{"name": "get_weather", "arguments": {"city": "Lyon"}}]}}
    assert httpx.post(f"{live_url}/_mock/replies", json=rule).status_code == 201
    try:
        message = sdk.messages.create(model=MODEL, max_tokens=512, tools=[WEATHER],
                                      messages=[{"role": "user", "content": "scripted weather"}])
    finally:
        httpx.delete(f"{live_url}/_mock/replies/messages-weather")
    thinking, text, call = message.content
    assert thinking.thinking == "Use the tool." and text.text == "Checking."
    assert (call.name, call.input) == ("get_weather", {"city": "Lyon"})
    assert message.stop_reason == "tool_use"
