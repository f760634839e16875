"""Tools, dynamic tools, `tool_choice` and `response_format`: the real API's rules.

Tools come from the top-level `tools` and from system messages that declare them (dynamic
tool loading, kimi-k3 family): a declaration makes its tools callable from that point of the
conversation on, so the answer, which comes after every message, may call any of them. The
schema validates dynamic definitions exactly like top-level ones (the same `Tool` schema, so
the same messages, with the path of the offending field); the rules here add what a schema
cannot say. Which family accepts what is model data, not code branches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from mock_server.chat.thinking import thinking_enabled
from mock_server.data.catalogue import Model
from mock_server.errors import MoonshotError, invalid_request

Body = Mapping[str, Any]
Tool = Mapping[str, Any]
NAMED_CHOICE_WITH_THINKING = 'tool_choice can only be set to "auto" or "none" when thinking is enabled'
FUNCTION_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_-]{2,63}\Z")  # documented (§2.1), `$` not first
FUNCTION_NAME_TEXT = "^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$"


def declarations(body: Body) -> Iterator[tuple[str, Tool]]:
    """Every tool definition with its path: the top-level ones, then each message's."""
    for index, tool in enumerate(body.get("tools") or ()):
        yield f"tools[{index}]", tool
    for position, message in enumerate(body["messages"]):
        for index, tool in enumerate(message.get("tools") or ()):
            yield f"messages[{position}].tools[{index}]", tool


def callable_tools(body: Body) -> list[Tool]:
    """The tools the answer may call: the top-level ones and every declared one (the answer
    comes after every message, so after every point of declaration)."""
    tools = list(body.get("tools") or ())
    for message in body["messages"]:
        declared = message.get("tools")
        if declared:
            tools.extend(declared)
    return tools


def check_tool_definitions(tools: Any, where: str = "tools") -> None:
    """Function tools' names do not start with `$` (only builtin names do). The door's schema
    has checked the rest of its documented pattern (chat's `{2,63}`, the Messages door's
    `{0,127}`), the `parameters` root of type object and the name's length."""
    for position, tool in enumerate(tools or ()):
        if not isinstance(tool, dict) or tool.get("type") != "function":
            continue
        name = (tool.get("function") or {}).get("name")
        if isinstance(name, str) and name.startswith("$"):
            raise invalid_request(
                f"{where}[{position}].function.name must match pattern {FUNCTION_NAME_TEXT}")


def check_tools(body: Body, model: Model) -> None:
    """Top-level tools: the model takes tools at all, and their definitions."""
    tools = body.get("tools")
    if tools:
        if model.rules.get("tools") is False:
            raise invalid_request(f"model {model.id} does not support tools")
        check_tool_definitions(tools)


def check_dynamic_tools(body: Body, model: Model) -> None:
    """Where dynamic tools may appear, the content rule of a declaring message, and the same
    definition checks as top-level tools (with the declaration's path)."""
    for position, message in enumerate(body["messages"]):
        if message.get("tools") is None:
            continue
        if not model.rules.get("dynamic_tools"):
            raise MoonshotError("invalid_request_error", "tokenization failed")
        role = message.get("role")
        if role != "system":
            raise invalid_request(f"the message at position {position} with role '{role}' "
                                  "cannot carry tools, only a system message can")
        if message.get("content"):
            raise invalid_request(f"the message at position {position} with role 'system' "
                                  "declares tools, which cannot be used with content")
        check_tool_definitions(message["tools"], f"messages[{position}].tools")


def check_tool_names(body: Body, model: Model) -> None:
    """Names are unique across the top-level tools and every dynamic declaration."""
    seen: set[str] = set()
    for path, tool in declarations(body):
        name = (tool.get("function") or {}).get("name")
        if name in seen:
            raise invalid_request(
                f"tool name '{name}' at {path}.function.name is already declared")
        seen.add(name)


def check_tool_choice(body: Body, model: Model) -> None:
    choice = body.get("tool_choice")
    if choice == "required":
        if not model.rules.get("tool_choice_required", False):
            raise invalid_request("tool_choice 'required' is not supported by this model")
        if not callable_tools(body):
            raise invalid_request("tool_choice 'required' needs at least one tool, but none is declared")
    if isinstance(choice, dict):  # parsed JSON (a check against `Mapping` costs ten times more)
        if thinking_enabled(body, model):
            raise MoonshotError("invalid_request_error", str(model.rules.get(
                "named_tool_choice_with_thinking", NAMED_CHOICE_WITH_THINKING)))
        name = (choice.get("function") or {}).get("name")
        if isinstance(name, str) and not FUNCTION_NAME.match(name):
            raise invalid_request(f"tool_choice.function.name must match pattern {FUNCTION_NAME_TEXT}")
        if name not in {(t.get("function") or {}).get("name") for t in callable_tools(body)}:
            raise invalid_request(f"tool_choice names function {name!r} which is not in tools")


def check_response_format(body: Body, model: Model) -> None:
    fmt = body.get("response_format")
    if not fmt:
        return
    if fmt.get("type") == "json_schema" and fmt.get("json_schema") is None:
        raise invalid_request("response_format.json_schema is required when type is json_schema")
    if not body["messages"][-1].get("partial"):
        return
    if fmt.get("type") == "json_object":
        raise invalid_request("partial mode cannot be used together with response_format json_object")
