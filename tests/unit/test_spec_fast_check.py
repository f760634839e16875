"""The fast yes/no check (jsonschema-rs) accepts exactly the bodies fastjsonschema accepts.

A body the fast check accepts is never shown to fastjsonschema, so the two must agree: here on
every operation with a JSON body, over valid bodies and each of them broken at every place
(each value replaced by values of every JSON type and edge values, each key removed).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import fastjsonschema
import pytest

from mock_server.data.spec import load_spec, validate_body

VALUES: list[Any] = [None, True, False, 0, 1, -1, 1.0, 1.5, -2.5, 2**70, 1e308, "", "x", "a" * 40,
                     "你好", "abc\n", "$web_search", "ab", [], [1], ["x"], ["x"] * 6, {},
                     {"type": "text"}, {"type": "enabled"}, {"url": 1}]
CALL = {"id": "f:0", "type": "function", "function": {"name": "get_x", "arguments": "{}"}}
BODIES: list[dict[str, Any]] = [
    {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]},
    {"model": "kimi-k2.5",
     "messages": [
         {"role": "system", "content": "s"},
         {"role": "user", "content": [{"type": "text", "text": "t"},
                                      {"type": "image_url", "image_url": {"url": "data:x"}},
                                      {"type": "video_url", "video_url": "ms://abc"}]},
         {"role": "assistant", "content": None, "tool_calls": [CALL], "reasoning_content": "r"},
         {"role": "tool", "tool_call_id": "f:0", "content": "r", "name": "get_x"},
         {"role": "assistant", "content": "a", "partial": True, "name": "n"}],
     "tools": [{"type": "function", "function": {"name": "get_x", "description": "d",
                                                 "parameters": {"type": "object"}, "strict": True}}],
     "tool_choice": {"type": "function", "function": {"name": "get_x"}},
     "stop": ["a", "b"], "n": 2, "temperature": 0.5, "top_p": 1, "max_tokens": 10,
     "max_completion_tokens": 5, "presence_penalty": 0, "frequency_penalty": -1, "stream": True,
     "stream_options": {"include_usage": True},
     "response_format": {"type": "json_schema",
                         "json_schema": {"name": "n", "schema": {"type": "object"}, "strict": False}},
     "thinking": {"type": "enabled", "keep": "all"}, "reasoning_effort": "low", "logprobs": True,
     "top_logprobs": 3, "prompt_cache_key": "k", "safety_identifier": "s", "user": "u"},
    {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "x"}], "stop": "s",
     "tool_choice": "auto", "tools": [{"type": "builtin_function", "function": {"name": "$web_search"}}]},
]


def places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        yield from places(value, (*path, key))


def replaced(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copied = copy.deepcopy(node)
    target = copied
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return copied


def removed(node: Any, path: tuple[Any, ...]) -> Any:
    copied = copy.deepcopy(node)
    target = copied
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return copied


def variants(body: dict[str, Any]) -> Iterator[Any]:
    yield body
    for path in places(body):
        for value in VALUES:
            yield replaced(body, path, value)
        if path:
            yield removed(body, path)


def accepted_by_fastjsonschema(validate: Any, body: Any) -> bool:
    try:
        validate(body)
    except fastjsonschema.JsonSchemaValueException:
        return False
    return True


@pytest.mark.parametrize("operation_id", ["createChatCompletion", "estimateTokenCount"])
def test_the_fast_check_agrees_with_fastjsonschema(operation_id: str) -> None:
    operation = load_spec().operation(operation_id)
    assert operation.validate is not None and operation.is_valid is not None
    checked = 0
    for body in BODIES:
        for variant in variants(body):
            assert operation.is_valid(variant) == accepted_by_fastjsonschema(
                operation.validate, variant), variant
            checked += 1
    assert checked > 2000


def test_every_json_operation_has_both_checks() -> None:
    for operation in load_spec().operations:
        has_json = operation.body_media_type == "application/json"
        assert (operation.validate is not None) == has_json
        assert (operation.is_valid is not None) == has_json


def test_a_rejected_body_still_gets_fastjsonschemas_message() -> None:
    operation = load_spec().operation("createChatCompletion")
    body = {"model": "moonshot-v1-8k", "messages": [{"role": "robot", "content": "hi"}]}
    with pytest.raises(Exception) as caught:
        validate_body(operation, body)
    assert "messages[0].role must be one of" in str(caught.value)
