"""Whether a chat request fits a rule's matcher: every field given must hold (AND)."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from typing import Any

from mock_server.replies.rules import Matcher

Message = Mapping[str, Any]


def text_of(message: Message) -> str:
    """A message's text: its string content, or its text parts joined by newlines."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content
                         if isinstance(p, Mapping) and p.get("type", "text") == "text")
    return ""


def last_user_text(messages: Sequence[Message]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return text_of(message)
    return ""


def tool_names(body: Mapping[str, Any]) -> list[str]:
    return [str((t.get("function") or {}).get("name", "")) for t in body.get("tools") or ()
            if isinstance(t, Mapping)]


def tool_result_name(messages: Sequence[Message]) -> str | None:
    """The tool whose result is the last message (by its `name`, or the call it answers)."""
    if not messages or messages[-1].get("role") != "tool":
        return None
    last = messages[-1]
    if isinstance(last.get("name"), str):
        return last["name"]
    wanted = last.get("tool_call_id")
    for message in reversed(messages[:-1]):
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping) and call.get("id") == wanted:
                return str((call.get("function") or {}).get("name", ""))
    return None


def _texts(messages: Sequence[Message], role: str | None) -> str:
    return "\n".join(text_of(m) for m in messages if role is None or m.get("role") == role)


def matches(matcher: Matcher, body: Mapping[str, Any], account: str) -> bool:
    messages = body.get("messages") or []
    if matcher.model is not None and not fnmatch.fnmatchcase(str(body.get("model")), matcher.model):
        return False
    if matcher.account is not None and matcher.account != account:
        return False
    if matcher.stream is not None and bool(body.get("stream")) != matcher.stream:
        return False
    if matcher.has_tools is not None and bool(body.get("tools")) != matcher.has_tools:
        return False
    if matcher.tool_names and not set(matcher.tool_names) <= set(tool_names(body)):
        return False
    fmt = (body.get("response_format") or {}).get("type", "text")
    if matcher.response_format is not None and fmt != matcher.response_format:
        return False
    if matcher.turn is not None and \
            sum(m.get("role") == "assistant" for m in messages) != matcher.turn:
        return False
    if matcher.tool_result_for is not None and tool_result_name(messages) != matcher.tool_result_for:
        return False
    return _text_matches(matcher, messages)


def _text_matches(matcher: Matcher, messages: Sequence[Message]) -> bool:
    if matcher.last_user is not None and not matcher.last_user.found_in(last_user_text(messages)):
        return False
    if matcher.system is not None and not matcher.system.found_in(_texts(messages, "system")):
        return False
    return matcher.any_message is None or matcher.any_message.found_in(_texts(messages, None))
