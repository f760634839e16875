"""The Responses door's input: `instructions` and the typed items, as the chat conversation the
model reads.

`developer` messages and `instructions` are system turns; a `reasoning` item, the assistant
message and the calls after it are one assistant turn (its `reasoning_content`, `content` and
`tool_calls`); each `function_call_output` / `custom_tool_call_output` is a tool turn;
`additional_tools` declares tools from its point on (kimi-k3's dynamic tools); a
`web_search_call` is history only (the answer after it carries the results).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.errors import invalid_request
from mock_server.responses.tools import PATCH_FIELD, ToolIndex, chat_tools

Item = Mapping[str, Any]
Message = dict[str, Any]
ROLES = {"user": "user", "assistant": "assistant", "developer": "system"}
# kimi-k3 always reasons, and a chat assistant turn with tool calls must carry its reasoning;
# a call replayed without its reasoning item (the platform page's own round-trip example) is
# accepted, so its turn reads as a reasoning of one space
NO_REASONING = " "


@dataclass
class _Turn:
    """The assistant turn being assembled from consecutive items."""

    reasoning: str | None = None
    content: str | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)

    def message(self) -> Message | None:
        if self.content is None and not self.calls:
            return None  # a reasoning alone is history without a turn
        message: Message = {"role": "assistant", "content": self.content or ""}
        if self.calls:
            message["tool_calls"] = self.calls
            message["reasoning_content"] = self.reasoning or NO_REASONING
        elif self.reasoning:
            message["reasoning_content"] = self.reasoning
        return message


def conversation(body: Mapping[str, Any], index: ToolIndex) -> list[Message]:
    messages: list[Message] = []
    if body.get("instructions"):
        messages.append({"role": "system", "content": body["instructions"]})
    items = body["input"]
    if isinstance(items, str):
        messages.append({"role": "user", "content": items})
        return messages
    turn = _Turn()
    called: set[str] = set()
    for position, item in enumerate(items):
        turn = _take(item, position, turn, messages, index, called)
    _close(turn, messages)
    return messages


def _take(item: Item, position: int, turn: _Turn, messages: list[Message], index: ToolIndex,
          called: set[str]) -> _Turn:
    """One item into the conversation; returns the assistant turn still open."""
    kind = item.get("type", "message")
    if kind == "reasoning":
        _close(turn, messages)
        return _Turn(reasoning=_reasoning_text(item))
    if kind == "message" and item["role"] == "assistant":
        if turn.content is not None or turn.calls:
            _close(turn, messages)
            turn = _Turn()
        turn.content = _text(item["content"]) or None  # an empty text is no part of the turn
        return turn
    if kind in ("function_call", "custom_tool_call"):
        turn.calls.append(_call(item, index))
        called.add(item["call_id"])
        return turn
    if kind == "web_search_call":
        return turn
    _close(turn, messages)
    message = _turn_of(item, position, index, called)
    if message is not None:
        messages.append(message)
    return _Turn()


def _close(turn: _Turn, messages: list[Message]) -> None:
    message = turn.message()
    if message is not None:
        messages.append(message)


def _turn_of(item: Item, position: int, index: ToolIndex, called: set[str]) -> Message | None:
    kind = item.get("type", "message")
    if kind == "message":
        role = ROLES[item["role"]]
        content = item["content"]
        if not content:
            raise invalid_request(f"input[{position}].content must not be empty")
        return {"role": role, "content": _parts(content) if role == "user" else _text(content)}
    if kind == "additional_tools":
        tools = chat_tools(item["tools"], index, f"input.{position}.tools")
        return {"role": "system", "content": "", "tools": tools} if tools else None
    call_id = item["call_id"]  # a function_call_output or custom_tool_call_output
    if call_id not in called:
        raise invalid_request(f"input[{position}].call_id '{call_id}' answers no earlier call "
                              "in input")
    return {"role": "tool", "tool_call_id": call_id, "content": _text(item["output"])}


def _call(item: Item, index: ToolIndex) -> dict[str, Any]:
    name = index.chat_name(item["name"], item.get("namespace"))
    if item["type"] == "custom_tool_call":
        arguments = orjson.dumps({PATCH_FIELD: item["input"]}).decode()
    else:
        arguments = item["arguments"]
    return {"id": item["call_id"], "type": "function",
            "function": {"name": name, "arguments": arguments}}


def _reasoning_text(item: Item) -> str:
    """`content` takes precedence over `summary` (the platform page)."""
    parts = item.get("content") or item.get("summary") or ()
    return "".join(str(part.get("text", "")) for part in parts)


def _text(content: str | Sequence[Mapping[str, Any]]) -> str:
    if isinstance(content, str):
        return content
    return "".join(str(part.get("text", "")) for part in content if "text" in part)


def _parts(content: str | Sequence[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
    """A user message's content: its text, or chat parts when it carries an image."""
    if isinstance(content, str):
        return content
    if all(part["type"] != "input_image" for part in content):
        return _text(content)
    return [{"type": "image_url", "image_url": {"url": part["image_url"]}}
            if part["type"] == "input_image" else {"type": "text", "text": part["text"]}
            for part in content]
