"""One translation from validator errors to the API's `Invalid request: <field> <rule>` wording,
checked on every keyword the spec's request schemas use."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from mock_server.data.spec import _operations, load_spec, request_schema, validate_body
from mock_server.data.wording import STRUCTURAL, WORDING, field_path
from mock_server.errors import MoonshotError

SPEC = load_spec()
CHAT = SPEC.operation("createChatCompletion")
BATCH = SPEC.operation("createBatch")
MESSAGES = SPEC.operation("createMessage")
RESPONSES = SPEC.operation("createResponse")
ANNOTATIONS = {"description", "examples", "x-uncertain", "title", "properties", "items"}


def keywords(node: Any) -> Iterator[str]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key not in ANNOTATIONS and not key.startswith("x-"):
                yield key
            if key == "properties":
                for schema in value.values():
                    yield from keywords(schema)
            elif key not in ("enum", "required", "const", "examples", "if"):  # a condition never fails
                yield from keywords(value)
    elif isinstance(node, list):
        for item in node:
            yield from keywords(item)


def spec_keywords() -> set[str]:
    components = SPEC.document.get("components", {})
    found: set[str] = set()
    for _, op, _ in _operations(SPEC.document):
        if (op.get("requestBody") or {}).get("content", {}).get("application/json"):
            found |= set(keywords(request_schema(op, components)))
    return found - {"$ref"}


class MessagesBody(dict[str, Any]):
    """A body for the Messages door (`/anthropic/v1/messages`)."""


def message(body: Any) -> str:
    operation = BATCH if isinstance(body, dict) and "input_file_id" in body else CHAT
    operation = MESSAGES if isinstance(body, MessagesBody) else operation
    operation = RESPONSES if isinstance(body, dict) and "input" in body else operation
    with pytest.raises(MoonshotError) as caught:
        validate_body(operation, body)
    assert caught.value.type == "invalid_request_error" and caught.value.status == 400
    return caught.value.message


def hi(**extra: Any) -> dict[str, Any]:
    return {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}], **extra}


def anthropic(*blocks: Any, **extra: Any) -> MessagesBody:
    return MessagesBody(model="kimi-k3", max_tokens=64,
                        messages=[{"role": "user", "content": list(blocks) or "hi"}], **extra)


def respond(**extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k3", "input": "hi", **extra}


def batch(**extra: Any) -> dict[str, Any]:
    return {"input_file_id": "cnhgqnucp7f5h7jfb3s0", "endpoint": "/v1/chat/completions",
            "completion_window": "24h", **extra}


# a body breaking each keyword the spec uses, and the API-style text it gets
BY_KEYWORD: dict[str, tuple[Any, str]] = {
    "type": (hi(max_tokens="many"), "Invalid request: max_tokens must be an integer or null"),
    "required": ({"model": "moonshot-v1-8k"}, "Invalid request: messages is required"),
    "enum": (hi(reasoning_effort="medium"),
             "Invalid request: reasoning_effort must be one of low, high, max, null"),
    "minimum": (hi(max_tokens=0), "Invalid request: max_tokens must be greater than or equal to 1"),
    "maximum": (hi(temperature=1.5), "Invalid request: temperature must be less than or equal to 1"),
    "minLength": (hi(model=""), "Invalid request: model must be at least 1 character long"),
    "maxLength": (hi(stop="x" * 33), "Invalid request: stop must be at most 32 characters long"),
    "minItems": (hi(messages=[]), "Invalid request: messages must have at least 1 item"),
    "maxItems": (hi(stop=list("abcdef")), "Invalid request: stop must have at most 5 items"),
    "pattern": (hi(tools=[{"type": "function", "function": {"name": "a b"}}]),
                "Invalid request: tools[0].function.name must match pattern "
                "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"),
    "anyOf": (hi(stop=7), "Invalid request: stop must be a string, an array of strings or null"),
    "oneOf": (anthropic(system=3), "Invalid request: system must be a string or an array of objects"),
    "items": (hi(stop=["x" * 33]), "Invalid request: stop[0] must be at most 32 characters long"),
    "maxProperties": (batch(metadata={str(i): "v" for i in range(17)}),
                      "Invalid request: metadata must have at most 16 fields"),
    "propertyNames": (batch(metadata={"k" * 65: "v"}),
                      f"Invalid request: metadata keys must be at most 64 characters, got '{'k' * 65}'"),
    # `if` (a `const`) / `then`: a rule that holds for one value of another field, in the
    # words of its `x-rule`
    **dict.fromkeys(("if", "then", "const"), (
        hi(response_format={"type": "json_schema"}),
        "Invalid request: response_format.json_schema is required when type is json_schema")),
    # a schema for the other fields: its own keyword is reported, at the field's path
    "additionalProperties": (batch(metadata={"team": 5}),
                             "Invalid request: metadata.team must be a string"),
    # a typed item's own fields: the keyword that failed inside `then`, at the item's field
    "then": (respond(input=[{"type": "function_call", "name": "f", "arguments": "{}"}]),
             "Invalid request: input[0].call_id is required"),
}


def test_every_keyword_of_the_spec_has_a_wording_and_a_case() -> None:
    used = spec_keywords() - STRUCTURAL
    assert used - set(WORDING) - {"items"} == set(), "a keyword without an API wording"
    assert used - set(BY_KEYWORD) == set(), "a keyword of the spec without a case below"


@pytest.mark.parametrize("keyword", sorted(BY_KEYWORD))
def test_each_keyword_reads_like_the_api(keyword: str) -> None:
    body, expected = BY_KEYWORD[keyword]
    assert message(body) == expected
    assert "cannot be validated" not in expected and " data." not in expected


@pytest.mark.parametrize(("body", "expected"), [
    ([1, 2], "Invalid request: body must be an object"),
    (hi(messages=[{"role": "user", "content": [{"type": "text", "text": 5}]}]),
     "Invalid request: messages[0].content[0].text must be a string"),
    (hi(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]),
     "Invalid request: messages[0].content[0].image_url.url is required"),
    (hi(tool_choice={"type": "function"}), "Invalid request: tool_choice.function is required"),
    (hi(tool_choice="sometimes"), "Invalid request: tool_choice must be one of none, auto, required"),
    (hi(messages=[{"content": "x"}]), "Invalid request: messages[0].role is required"),
])
def test_nested_and_alternative_fields_are_named(body: Any, expected: str) -> None:
    assert message(body) == expected


@pytest.mark.parametrize(("body", "expected"), [
    (anthropic({"type": "document"}), "Invalid request: messages[0].content[0].type must be one "
     "of text, image, thinking, tool_use, tool_result"),
    (anthropic({"text": "x"}), "Invalid request: messages[0].content[0].type is required"),
    (anthropic({"type": "text"}), "Invalid request: messages[0].content[0].text is required"),
    (anthropic({"type": "tool_use", "id": "t", "name": "f", "input": "{}"}),
     "Invalid request: messages[0].content[0].input must be an object"),
    (anthropic({"type": "image", "source": {"type": "file"}}),
     "Invalid request: messages[0].content[0].source.type must be one of base64, url"),
])
def test_a_content_block_is_told_apart_by_its_type(body: Any, expected: str) -> None:
    """oneOf alternatives tagged by `type`: the error is the named alternative's."""
    assert message(body) == expected


def test_field_paths() -> None:
    assert field_path(["data"]) == "body"
    assert field_path(["data", "tools", "0", "function", "name"]) == "tools[0].function.name"
