"""A reply rule: a matcher (`match:`) and what to answer (`reply:` or an ordered `then:` list).

The format is the same in a config file's `replies:` list, a reply file, a control-plane call
and the pytest handle; `ReplySyntaxError` names the field that is wrong. An `error:` reply keeps
its fault text as written (the fault DSL of `X-Mock-Fault`); the caller that loads rules checks
it with the fault parser it is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

RULE_KEYS = ("id", "match", "reply", "then", "times", "session")
MATCH_KEYS = ("model", "account", "last_user", "any_message", "system", "has_tools",
              "tool_names", "tool_result_for", "turn", "stream", "response_format")
REPLY_KEYS = ("content", "reasoning_content", "tool_calls", "finish_reason", "usage", "error")
CALL_KEYS = ("name", "arguments", "id")
FINISH_REASONS = ("stop", "length", "tool_calls", "content_filter")
USAGE_KEYS = ("prompt_tokens", "completion_tokens")
ErrorCheck = Callable[[str], None]


class ReplySyntaxError(ValueError):
    """A reply rule that cannot be used; the message names the field."""


@dataclass(frozen=True)
class TextMatch:
    """A substring (case-sensitive) or, written `re:...`, a regular expression (search)."""

    text: str
    pattern: re.Pattern[str] | None = None

    def found_in(self, value: str) -> bool:
        return bool(self.pattern.search(value)) if self.pattern else self.text in value


@dataclass(frozen=True)
class Matcher:
    model: str | None = None  # exact, or a glob (`kimi-*`)
    account: str | None = None
    last_user: TextMatch | None = None
    any_message: TextMatch | None = None
    system: TextMatch | None = None
    has_tools: bool | None = None
    tool_names: tuple[str, ...] = ()  # every one of them is declared
    tool_result_for: str | None = None
    turn: int | None = None  # 0 = the first assistant turn
    stream: bool | None = None
    response_format: str | None = None  # text, json_object, json_schema
    written: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StubCall:
    name: str
    arguments: str  # JSON text
    id: str | None = None


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    reasoning_content: str | None = None
    tool_calls: tuple[StubCall, ...] = ()
    finish_reason: str | None = None
    usage: Mapping[str, int] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class ReplyRule:
    id: str
    match: Matcher
    replies: tuple[Reply, ...]
    times: int | None = None  # answers this many requests, then no longer matches
    session: str | None = None  # only for requests with this X-Mock-Session
    source: str = "control"  # config, files:<name>, control, handle
    written: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "session": self.session,
                "times": self.times, **{k: v for k, v in self.written.items()
                                        if k not in ("id", "session", "times")}}


def parse_rule(item: Any, rule_id: str, source: str = "control",
               check_error: ErrorCheck | None = None) -> ReplyRule:
    """One rule; `rule_id` is used unless the rule names its own `id`."""
    if not isinstance(item, Mapping):
        raise ReplySyntaxError(f"a reply rule is a mapping with 'match' and 'reply', got {item!r}")
    _reject(item, RULE_KEYS, "reply rule")
    if ("reply" in item) == ("then" in item):
        raise ReplySyntaxError("a reply rule needs exactly one of 'reply' or 'then' (a list)")
    written = item["then"] if "then" in item else item["reply"]
    items = written if isinstance(written, list) else [written]
    if not items:
        raise ReplySyntaxError("'then' must list at least one reply")
    replies = tuple(_reply(r, n, check_error) for n, r in enumerate(items, start=1))
    times = item.get("times")
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ReplySyntaxError(f"reply rule 'times' must be a whole number >= 1, got {times!r}")
    session = item.get("session")
    if session is not None and not isinstance(session, str):
        raise ReplySyntaxError(f"reply rule 'session' must be a string, got {session!r}")
    own_id = item.get("id")
    if own_id is not None and (not isinstance(own_id, str) or not own_id):
        raise ReplySyntaxError(f"reply rule 'id' must be a non-empty string, got {own_id!r}")
    return ReplyRule(own_id or rule_id, _matcher(item.get("match") or {}), replies, times,
                     session, source, dict(item))


def _reject(item: Mapping[str, Any], known: tuple[str, ...], what: str) -> None:
    unknown = sorted(str(k) for k in set(item) - set(known))
    if unknown:
        raise ReplySyntaxError(f"{what} has unknown fields {unknown}; known: {list(known)}")


def _text(name: str, value: Any) -> TextMatch:
    if not isinstance(value, str) or not value:
        raise ReplySyntaxError(f"match '{name}' must be a non-empty string, got {value!r}")
    if value.startswith("re:"):
        try:
            return TextMatch(value, re.compile(value[3:]))
        except re.error as exc:
            raise ReplySyntaxError(f"match '{name}': bad regular expression ({exc})") from None
    return TextMatch(value)


def _flag(name: str, value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ReplySyntaxError(f"match '{name}' must be true or false, got {value!r}")
    return value


def _matcher(value: Any) -> Matcher:
    if not isinstance(value, Mapping):
        raise ReplySyntaxError(f"reply rule 'match' must be a mapping, got {value!r}")
    _reject(value, MATCH_KEYS, "reply rule 'match'")
    texts = {k: _text(k, value[k]) for k in ("last_user", "any_message", "system") if k in value}
    names = value.get("tool_names") or ()
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise ReplySyntaxError(f"match 'tool_names' must be a list of names, got {names!r}")
    turn = value.get("turn")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 0):
        raise ReplySyntaxError(f"match 'turn' must be a whole number >= 0, got {turn!r}")
    strings = {k: value[k] for k in ("model", "account", "tool_result_for", "response_format")
               if value.get(k) is not None}
    for name, text in strings.items():
        if not isinstance(text, str):
            raise ReplySyntaxError(f"match '{name}' must be a string, got {text!r}")
    return Matcher(**strings, **texts, has_tools=_flag("has_tools", value.get("has_tools")),
                   tool_names=tuple(names), turn=turn, stream=_flag("stream", value.get("stream")),
                   written=dict(value))


def _reply(value: Any, number: int, check_error: ErrorCheck | None) -> Reply:
    if isinstance(value, str):
        value = {"content": value}
    if not isinstance(value, Mapping):
        raise ReplySyntaxError(f"reply {number} must be a mapping or a string, got {value!r}")
    _reject(value, REPLY_KEYS, f"reply {number}")
    for name in ("content", "reasoning_content", "error"):
        if value.get(name) is not None and not isinstance(value[name], str):
            raise ReplySyntaxError(f"reply {number} '{name}' must be a string")
    error = value.get("error")
    if error is not None:
        if len(value) > 1:
            raise ReplySyntaxError(f"reply {number}: 'error' stands alone (no content or calls)")
        if check_error is not None:
            try:
                check_error(error)
            except ValueError as exc:
                raise ReplySyntaxError(f"reply {number} 'error': {exc}") from None
    finish = value.get("finish_reason")
    if finish is not None and finish not in FINISH_REASONS:
        raise ReplySyntaxError(f"reply {number} 'finish_reason' must be one of {list(FINISH_REASONS)}")
    calls = tuple(_call(c, number) for c in _list(value.get("tool_calls"), number))
    return Reply(value.get("content"), value.get("reasoning_content"), calls, finish,
                 _usage(value.get("usage"), number), error)


def _list(value: Any, number: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ReplySyntaxError(f"reply {number} 'tool_calls' must be a list")
    return list(value)


def _call(value: Any, number: int) -> StubCall:
    if not isinstance(value, Mapping) or not isinstance(value.get("name"), str):
        raise ReplySyntaxError(f"reply {number}: each tool call needs a 'name', got {value!r}")
    _reject(value, CALL_KEYS, f"reply {number} tool call")
    arguments = value.get("arguments", {})
    if isinstance(arguments, str):
        try:
            orjson.loads(arguments)
        except orjson.JSONDecodeError:
            raise ReplySyntaxError(f"reply {number}: tool call arguments are not JSON: "
                                   f"{arguments!r}") from None
    else:
        arguments = orjson.dumps(arguments).decode()
    call_id = value.get("id")
    if call_id is not None and not isinstance(call_id, str):
        raise ReplySyntaxError(f"reply {number}: tool call 'id' must be a string")
    return StubCall(value["name"], arguments, call_id)


def _usage(value: Any, number: int) -> dict[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ReplySyntaxError(f"reply {number} 'usage' must be a mapping")
    _reject(value, USAGE_KEYS, f"reply {number} 'usage'")
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()):
        raise ReplySyntaxError(f"reply {number} 'usage' values must be whole numbers >= 0")
    return dict(value)
