"""The Messages door's parser: a Messages request as the internal (chat) request."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.anthropic.parse import chat_request
from mock_server.anthropic.signature import SIGNER, ThinkingSigner
from mock_server.data.catalogue import load_catalogue
from mock_server.errors import MoonshotError

CATALOGUE = load_catalogue()
K3 = CATALOGUE.get("kimi-k3")
K26 = CATALOGUE.get("kimi-k2.6")

WEATHER = {"name": "get_weather", "description": "Weather of a city.",
           "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}


def parse(model: Any = K3, **fields: Any) -> dict[str, Any]:
    body = {"model": model.id, "max_tokens": 256,
            "messages": [{"role": "user", "content": "hi"}], **fields}
    return chat_request(body, model, SIGNER.valid)


def refusal(**fields: Any) -> str:
    with pytest.raises(MoonshotError) as caught:
        parse(**fields)
    assert caught.value.status == 400 and caught.value.type == "invalid_request_error"
    return caught.value.message


def test_a_plain_request() -> None:
    assert parse() == {"model": "kimi-k3", "max_tokens": 256,
                       "messages": [{"role": "user", "content": "hi"}]}


def test_system_string_or_text_blocks_lead_as_one_system_turn() -> None:
    assert parse(system="Be brief.")["messages"][0] == {"role": "system", "content": "Be brief."}
    blocks = [{"type": "text", "text": "You are a coder.", "cache_control": {"type": "ephemeral"}},
              {"type": "text", "text": "Be brief."}]
    assert parse(system=blocks)["messages"][0] == {"role": "system",
                                                   "content": "You are a coder.\nBe brief."}


def test_a_tool_round_trip_becomes_tool_calls_and_a_tool_turn() -> None:
    messages = [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "Call the tool.", "signature": SIGNER.sign("Call the tool.")},
            {"type": "text", "text": "Let me look."},
            {"type": "tool_use", "id": "functions.get_weather:0", "name": "get_weather",
             "input": {"city": "Paris"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "functions.get_weather:0",
             "content": [{"type": "text", "text": "Sunny"}, {"type": "text", "text": "21 C"}]},
            {"type": "text", "text": "And tomorrow?"}]},
    ]
    request = parse(messages=messages, tools=[WEATHER], tool_choice={"type": "any"})
    assert request["messages"][1:] == [
        {"role": "assistant", "content": "Let me look.", "reasoning_content": "Call the tool.",
         "tool_calls": [{"id": "functions.get_weather:0", "type": "function",
                         "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'}}]},
        {"role": "tool", "tool_call_id": "functions.get_weather:0", "content": "Sunny\n21 C"},
        {"role": "user", "content": [{"type": "text", "text": "And tomorrow?"}]},
    ]
    assert request["tools"] == [{"type": "function", "function": {
        "name": "get_weather", "parameters": WEATHER["input_schema"],
        "description": "Weather of a city."}}]
    assert request["tool_choice"] == "required"


@pytest.mark.parametrize(("choice", "expected"), [("auto", "auto"), ("any", "required"),
                                                  ("none", "none")])
def test_tool_choice(choice: str, expected: str) -> None:
    assert parse(tools=[WEATHER], tool_choice={"type": choice})["tool_choice"] == expected


def test_images_are_data_urls_or_file_references() -> None:
    content = [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}},
               {"type": "image", "source": {"type": "url", "url": "ms://cnhgqnucp7f5h7jfb3s0"}},
               {"type": "text", "text": "Compare them."}]
    parts = parse(messages=[{"role": "user", "content": content}])["messages"][0]["content"]
    assert parts == [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBO"}},
                     {"type": "image_url", "image_url": {"url": "ms://cnhgqnucp7f5h7jfb3s0"}},
                     {"type": "text", "text": "Compare them."}]


@pytest.mark.parametrize(("source", "expected"), [
    ({"type": "url", "url": "https://example.com/cat.png"},
     "Invalid request: messages[0].content[0].source.url must be ms://<file_id> when source.type is url"),
    ({"type": "base64", "data": "iVBO"},
     "Invalid request: messages[0].content[0].source.media_type is required when source.type is base64"),
])
def test_an_image_source_the_api_does_not_take_is_named(source: dict[str, str], expected: str) -> None:
    assert refusal(messages=[{"role": "user", "content": [{"type": "image", "source": source}]}]) \
        == expected


def test_a_last_assistant_turn_is_continued() -> None:
    messages = [{"role": "user", "content": "Count to five."},
                {"role": "assistant", "content": "One, two,"}]
    assert parse(messages=messages)["messages"][-1] == {"role": "assistant", "content": "One, two,",
                                                        "partial": True}


def test_stop_sequences_become_stop_and_are_bounded_in_bytes() -> None:
    assert parse(stop_sequences=["\n\nHuman:", "END"])["stop"] == ["\n\nHuman:", "END"]
    assert refusal(stop_sequences=["ok", "停" * 11]) == \
        "Invalid request: stop_sequences[1] must be at most 32 bytes long"


def test_structured_output_and_effort() -> None:
    schema = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
    request = parse(output_config={"effort": "low", "format": {"type": "json_schema", "schema": schema}})
    assert request["response_format"] == {"type": "json_schema", "json_schema": {
        "name": "output", "schema": schema, "strict": True}}
    assert request["reasoning_effort"] == "low"
    assert "reasoning_effort" not in parse(K26, output_config={"effort": "low"})


def test_thinking_disabled_is_passed_on_enabled_and_adaptive_leave_the_default() -> None:
    assert parse(K26, thinking={"type": "disabled"})["thinking"] == {"type": "disabled"}
    assert "thinking" not in parse(thinking={"type": "adaptive"})
    assert "thinking" not in parse(thinking={"type": "enabled", "budget_tokens": 2048})


def test_what_claude_code_adds_is_accepted_and_ignored() -> None:
    request = parse(metadata={"user_id": '{"device_id":"abc","session_id":"s-1"}'},
                    context_management={"edits": [{"type": "clear_thinking_20251015"}]})
    assert request == parse()


def test_a_thinking_block_must_come_back_with_its_own_signature() -> None:
    def turn(signature: str | None) -> list[dict[str, Any]]:
        block: dict[str, Any] = {"type": "thinking", "thinking": "Hmm."}
        if signature is not None:
            block["signature"] = signature
        return [{"role": "user", "content": "a"},
                {"role": "assistant", "content": [block, {"type": "text", "text": "b"}]},
                {"role": "user", "content": "c"}]

    assert parse(messages=turn(SIGNER.sign("Hmm.")))["messages"][1]["reasoning_content"] == "Hmm."
    assert parse(messages=turn(None))["messages"][1]["reasoning_content"] == "Hmm."
    assert refusal(messages=turn(SIGNER.sign("Hmm!"))) == (
        "Invalid request: messages[1].content[0].signature does not match its thinking: pass "
        "thinking blocks back unchanged, with the signature they came with")
    assert not ThinkingSigner(b"another key").valid("Hmm.", SIGNER.sign("Hmm."))  # another app's key
    assert refusal(messages=turn("签名"))  # any text, not only ASCII


def test_a_block_out_of_its_role_is_named() -> None:
    tool_use = {"type": "tool_use", "id": "t", "name": "get_weather", "input": {}}
    assert refusal(messages=[{"role": "user", "content": [tool_use]}]) == \
        "Invalid request: messages[0].content[0].type tool_use is not allowed in a user message"


def test_an_empty_conversation_is_refused_by_the_schema() -> None:
    from mock_server.data.spec import load_spec, validate_body

    operation = load_spec().operation("createMessage")
    with pytest.raises(MoonshotError) as caught:
        validate_body(operation, {"model": "kimi-k3", "max_tokens": 16, "messages": [],
                                  "output_config": {"format": {"type": "json_schema", "schema": {}}}})
    assert caught.value.message == "Invalid request: messages must have at least 1 item"
