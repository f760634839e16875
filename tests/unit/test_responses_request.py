"""The Responses door's parser: a schema-checked request as the chat request the engine answers,
with the refusals the platform documents or was seen to answer."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.data.spec import load_spec, validate_body
from mock_server.errors import MoonshotError
from mock_server.responses.items import NO_REASONING
from mock_server.responses.request import DoorRequest, parse_request
from mock_server.responses.tools import ToolRef

OPERATION = load_spec().operation("createResponse")
WEATHER = {"type": "function", "name": "get_weather", "description": "Get the weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                          "required": ["city"]}}
GRAMMAR = {"type": "grammar", "syntax": "lark", "definition": "start: /.+/"}
PATCH_TOOL = {"type": "custom", "name": "apply_patch", "format": GRAMMAR}


def parse(**body: Any) -> DoorRequest:
    body = {"model": "kimi-k3", "input": "hi", **body}
    return parse_request(validate_body(OPERATION, body))


def refusal(**body: Any) -> str:
    with pytest.raises(MoonshotError) as caught:
        parse(**body)
    assert caught.value.type == "invalid_request_error" and caught.value.status == 400
    return caught.value.message


def test_a_string_input_is_one_user_message_after_the_instructions() -> None:
    door = parse(instructions="Be brief.", input="Explain caching.")
    assert door.chat == {"model": "kimi-k3", "messages": [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Explain caching."}]}


def test_settings_become_the_chat_fields() -> None:
    door = parse(stream=True, max_output_tokens=64, reasoning={"effort": "low", "summary": "auto"},
                 prompt_cache_key="k", safety_identifier="u1", parallel_tool_calls=False,
                 store=False, include=["reasoning.encrypted_content"], client_metadata={"a": "b"},
                 text={"format": {"type": "json_schema", "schema": {"type": "object"}}})
    assert door.chat == {
        "model": "kimi-k3", "stream": True, "prompt_cache_key": "k", "safety_identifier": "u1",
        "messages": [{"role": "user", "content": "hi"}], "reasoning_effort": "low",
        "max_completion_tokens": 64,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "output", "schema": {"type": "object"}, "strict": True}}}


def test_typed_items_become_turns() -> None:
    door = parse(tools=[WEATHER], input=[
        {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "Rules."}]},
        {"role": "user", "content": "Weather in Beijing?"},
        {"type": "reasoning", "summary": [{"type": "summary_text", "text": "I should call it."}]},
        {"type": "function_call", "call_id": "get_weather_0", "name": "get_weather",
         "arguments": '{"city":"Beijing"}'},
        {"type": "function_call_output", "call_id": "get_weather_0", "output": "Sunny"},
        {"type": "message", "role": "assistant",
         "content": [{"type": "output_text", "text": "It is sunny."}]},
        {"type": "web_search_call", "id": "ws_1", "status": "completed"},
        {"role": "user", "content": [{"type": "input_text", "text": "Look: "},
                                     {"type": "input_image", "image_url": "data:image/png;base64,AA"}]},
    ])
    assert door.chat["messages"] == [
        {"role": "system", "content": "Rules."},
        {"role": "user", "content": "Weather in Beijing?"},
        {"role": "assistant", "content": "", "reasoning_content": "I should call it.",
         "tool_calls": [{"id": "get_weather_0", "type": "function",
                         "function": {"name": "get_weather", "arguments": '{"city":"Beijing"}'}}]},
        {"role": "tool", "tool_call_id": "get_weather_0", "content": "Sunny"},
        {"role": "assistant", "content": "It is sunny."},
        {"role": "user", "content": [{"type": "text", "text": "Look: "},
                                     {"type": "image_url",
                                      "image_url": {"url": "data:image/png;base64,AA"}}]},
    ]


def test_a_call_replayed_without_its_reasoning_is_accepted() -> None:
    door = parse(tools=[WEATHER], input=[
        {"role": "user", "content": "Weather?"},
        {"type": "function_call", "call_id": "c1", "name": "get_weather", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "c1",
         "output": [{"type": "input_text", "text": "Rain"}]}])
    assert door.chat["messages"][1]["reasoning_content"] == NO_REASONING
    assert door.chat["messages"][2] == {"role": "tool", "tool_call_id": "c1", "content": "Rain"}


def test_reasoning_content_is_preferred_to_its_summary() -> None:
    door = parse(input=[{"role": "user", "content": "a"},
                        {"type": "reasoning", "summary": [{"type": "summary_text", "text": "s"}],
                         "content": [{"type": "reasoning_text", "text": "c"}]},
                        {"role": "assistant", "content": "b"}])
    assert door.chat["messages"][1] == {"role": "assistant", "content": "b", "reasoning_content": "c"}


def test_namespace_and_apply_patch_tools_keep_their_wire_names() -> None:
    door = parse(tools=[{"type": "namespace", "name": "mcp__files", "description": "Files",
                         "tools": [{"type": "function", "name": "read"}]}, PATCH_TOOL,
                        {"type": "web_search", "user_location": {"type": "approximate"}}])
    names = [tool["function"]["name"] for tool in door.chat["tools"]]
    assert names == ["mcp__files__read", "apply_patch"]
    assert door.tools.wire("mcp__files__read") == ToolRef("function", "read", "mcp__files")
    assert door.tools.wire("apply_patch") == ToolRef("custom", "apply_patch")
    assert door.chat["tools"][1]["function"]["parameters"]["required"] == ["patch"]
    assert door.web_search and not door.sources


def test_additional_tools_are_dynamic_tools_from_their_point_on() -> None:
    door = parse(input=[{"role": "user", "content": "a"},
                        {"type": "additional_tools", "role": "developer", "tools": [WEATHER]}])
    assert door.chat["messages"][1]["role"] == "system"
    assert door.chat["messages"][1]["content"] == ""
    assert door.chat["messages"][1]["tools"][0]["function"]["name"] == "get_weather"


def test_a_custom_tool_call_replays_as_its_patch() -> None:
    door = parse(tools=[PATCH_TOOL], input=[
        {"role": "user", "content": "fix"},
        {"type": "custom_tool_call", "call_id": "apply_patch_0", "name": "apply_patch",
         "input": "*** Begin Patch\n*** End Patch"},
        {"type": "custom_tool_call_output", "call_id": "apply_patch_0", "output": "Done"}])
    call = door.chat["messages"][1]["tool_calls"][0]
    assert call["function"] == {"name": "apply_patch",
                                "arguments": '{"patch":"*** Begin Patch\\n*** End Patch"}'}


@pytest.mark.parametrize(("body", "message"), [
    ({"tools": [{**WEATHER, "defer_loading": True}]}, "tools.0.defer_loading is not supported"),
    ({"tools": [{"type": "namespace", "name": "ns", "description": "d",
                 "tools": [WEATHER, {**WEATHER, "name": "b", "defer_loading": False}]}]},
     "tools.0.tools.1.defer_loading is not supported"),
    ({"tools": [WEATHER, {"type": "web_search", "search_context_size": "low"}]},
     "tools.1.search_context_size is not supported"),
    ({"tools": [{"type": "web_search", "blocked_domains": ["a.com"]}]},
     "tools.0.blocked_domains is not supported"),
    ({"tools": [{"type": "web_search", "filters": {"blocked_domains": ["a.com"]}}]},
     "tools.0.filters.blocked_domains is not supported"),
    ({"tools": [{"type": "web_search"}, {"type": "web_search"}]},
     "Invalid request: tools.1: only one web_search tool is allowed per request"),
    ({"tools": [WEATHER, WEATHER]},
     "Invalid request: tool name 'get_weather' at tools[1].name is already declared"),
    ({"previous_response_id": "resp_1"}, "Invalid request: previous_response_id is not supported: "
     "this endpoint is stateless (responses are not stored)"),
    ({"conversation": "conv_1"}, "Invalid request: conversation is not supported: "
     "this endpoint is stateless (responses are not stored)"),
    ({"background": True}, "Invalid request: background must be false: this endpoint does not "
     "run responses in the background"),
    ({"input": [{"type": "function_call_output", "call_id": "x", "output": "o"}]},
     "Invalid request: input[0].call_id 'x' answers no earlier call in input"),
    ({"input": [{"role": "user", "content": ""}]}, "Invalid request: input[0].content must not be empty"),
    ({"input": [{"type": "additional_tools", "role": "developer",
                 "tools": [{**WEATHER, "defer_loading": True}]}]},
     "input.0.tools.0.defer_loading is not supported"),
])
def test_refusals_name_the_field(body: dict[str, Any], message: str) -> None:
    assert refusal(**body) == message


@pytest.mark.parametrize(("body", "message"), [
    ({"tool_choice": "required"}, "Invalid request: tool_choice must be one of auto, null"),
    ({"tools": [{"type": "file_search"}]},
     "Invalid request: tools[0].type must be one of function, namespace, custom, web_search"),
    ({"tools": [{"type": "custom", "name": "shell", "format": GRAMMAR}]},
     "Invalid request: tools[0].name must be apply_patch"),
    ({"text": {"format": {"type": "text"}}}, "Invalid request: text.format.type must be json_schema"),
    ({"reasoning": {"effort": "medium"}},
     "Invalid request: reasoning.effort must be one of low, high, max, null"),
    ({"max_output_tokens": 1048577},
     "Invalid request: max_output_tokens must be less than or equal to 1048576"),
    ({"input": [{"type": "function_call", "name": "f", "arguments": "{}"}]},
     "Invalid request: input[0].call_id is required"),
    ({"input": [{"role": "system", "content": "x"}]},
     "Invalid request: input[0].role must be one of user, assistant, developer"),
])
def test_schema_refusals_name_the_field(body: dict[str, Any], message: str) -> None:
    assert refusal(**body) == message
