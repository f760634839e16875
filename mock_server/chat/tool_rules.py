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
from functools import cache
from typing import Any

from mock_server.chat.thinking import thinking_enabled
from mock_server.data.catalogue import Model
from mock_server.errors import MoonshotError, invalid_request
from mock_server.messages import NEWEST

Body = Mapping[str, Any]
Tool = Mapping[str, Any]
NAMED_CHOICE_WITH_THINKING = 'tool_choice can only be set to "auto" or "none" when thinking is enabled'
# the documented pattern of a function's name, of the API's day (`messages.ERAS`); `$` not first
NAMES = NEWEST["tool_name_pattern"]


@cache
def name_pattern(text: str) -> re.Pattern[str]:
    """The documented pattern as a Python regex (`$` is the very end, not before a newline)."""
    return re.compile(text.removesuffix("$") + r"\Z")


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


def check_tool_definitions(tools: Any, where: str = "tools", names: str = NAMES) -> None:
    """Function tools' names match the documented pattern `names` of the API's day (only
    builtin names start with `$`): every door's schema allows the widest (`{0,127}`), the rule
    here is the era's. The schema has checked the rest (a `parameters` root of type object)."""
    pattern = name_pattern(names)
    for position, tool in enumerate(tools or ()):
        if not isinstance(tool, dict) or tool.get("type") != "function":
            continue
        name = (tool.get("function") or {}).get("name")
        if isinstance(name, str) and not pattern.match(name):
            raise invalid_request(f"{where}[{position}].function.name must match pattern {names}")


def check_tools(body: Body, model: Model, names: str = NAMES) -> None:
    """Top-level tools: the model takes tools at all, and their definitions."""
    tools = body.get("tools")
    if tools:
        if model.rules.get("tools") is False:
            raise invalid_request(f"model {model.id} does not support tools")
        check_tool_definitions(tools, names=names)


def check_dynamic_tools(body: Body, model: Model, names: str = NAMES) -> None:
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
        check_tool_definitions(message["tools"], f"messages[{position}].tools", names)


def check_tool_names(body: Body, model: Model) -> None:
    """Names are unique across the top-level tools and every dynamic declaration."""
    seen: set[str] = set()
    for path, tool in declarations(body):
        name = (tool.get("function") or {}).get("name")
        if name in seen:
            raise invalid_request(
                f"tool name '{name}' at {path}.function.name is already declared")
        seen.add(name)


def check_tool_choice(body: Body, model: Model, names: str = NAMES) -> None:
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
        if isinstance(name, str) and not name_pattern(names).match(name):
            raise invalid_request(f"tool_choice.function.name must match pattern {names}")
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
