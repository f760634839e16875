"""Chat completions as plain data: plan the answer once, then render it as JSON or chunks.

`plan_chat` decides everything before the first byte (text, tool calls, finish reasons, usage);
`completion_body` and `chunk_bodies` only render that plan, so the concatenated stream deltas
always equal the non-stream content for the same seed and request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

import orjson

from mock_server.chat import generate
from mock_server.chat.asked_format import asked_shape
from mock_server.chat.json_mode import json_mode_schema
from mock_server.chat.logprobs import Logprobs, content_entries, entries_by_piece
from mock_server.chat.reply_shape import render
from mock_server.chat.rules import max_output_tokens, thinking_enabled
from mock_server.chat.thinking import reasoning_pieces, thinking_material
from mock_server.chat.tool_rules import callable_tools
from mock_server.data.catalogue import Model

Body = Mapping[str, Any]
_SEED_FIELDS = ("model", "messages", "tools", "tool_choice", "response_format", "temperature",
                "top_p", "presence_penalty", "frequency_penalty")


# The plan's parts are named tuples: immutable like frozen dataclasses, and several times
# cheaper to make (a new request makes one of each).
class ToolCall(NamedTuple):
    id: str
    type: str
    name: str
    arguments: tuple[str, ...]  # the arguments JSON, as token pieces


class ChoicePlan(NamedTuple):
    index: int
    reasoning: tuple[str, ...]
    content: tuple[str, ...]
    tool_calls: tuple[ToolCall, ...]
    finish_reason: str
    stop_sequence: str | None = None  # the stop sequence that ended the content, when one did

    @property
    def completion_tokens(self) -> int:
        tokens = len(self.reasoning) + len(self.content)
        for call in self.tool_calls:  # a builtin call is one token (the 2026-04 $web_search leg)
            tokens += 1 if call.type == "builtin_function" else len(call.arguments) + 2
        return tokens


class ChatPlan(NamedTuple):
    id: str
    created: int
    model: str
    system_fingerprint: str
    prompt_tokens: int
    choices: tuple[ChoicePlan, ...]
    cached_tokens: int = 0  # of prompt_tokens, served from the context cache
    usage_override: Mapping[str, int] | None = None  # a scripted reply's own usage numbers
    logprobs: Logprobs | None = None  # asked for with `logprobs: true`

    @property
    def completion_tokens(self) -> int:
        return sum([c.completion_tokens for c in self.choices])

    def usage(self, choice: ChoicePlan | None = None) -> dict[str, int]:
        completion = self.completion_tokens if choice is None else choice.completion_tokens
        prompt = self.prompt_tokens
        if self.usage_override:
            prompt = self.usage_override.get("prompt_tokens", prompt)
            completion = self.usage_override.get("completion_tokens", completion)
        usage = {"prompt_tokens": prompt, "completion_tokens": completion,
                 "total_tokens": prompt + completion}
        if self.cached_tokens:
            usage["cached_tokens"] = self.cached_tokens
        return usage


@dataclass  # not frozen: made for every request, and a frozen dataclass costs ~3x to make
class Replies:
    """What a plan needs beyond the request: seed, reply length range and minted ids."""

    seed: int
    reply_tokens: tuple[int, int]
    id: str
    created: int
    system_fingerprint: str


def plan_chat(body: Body, model: Model, prompt_tokens: int, replies: Replies,
              choices: tuple[ChoicePlan, ...] | None = None, cached_tokens: int = 0) -> ChatPlan:
    """The whole answer; `choices` planned before for the same body (`reusable_choices`) are
    taken as they are."""
    if choices is None:
        choices = plan_choices(body, model, replies)
    return ChatPlan(replies.id, replies.created, model.id, replies.system_fingerprint,
                    prompt_tokens, choices, cached_tokens)


def reusable_choices(body: Body) -> bool:
    """Whether the planned choices depend on the body, seed, reply length and model alone.
    Builtin tool-call ids embed the completion id: such choices are planned every time."""
    tools = callable_tools(body)
    return not tools or not any(isinstance(t, Mapping) and t.get("type") == "builtin_function"
                                for t in tools)


def plan_choices(body: Body, model: Model, replies: Replies) -> tuple[ChoicePlan, ...]:
    material = orjson.dumps([*[body.get(k) for k in _SEED_FIELDS], *thinking_material(body)],
                            option=orjson.OPT_SORT_KEYS)
    return tuple([
        _plan_choice(body, model, index, _draws(replies.seed, material, index), replies)
        for index in range(int(body.get("n") or 1))
    ])


def _draws(seed: int, material: bytes, index: int) -> generate.Draws:
    hasher = _keyed_hasher(seed, index).copy()
    hasher.update(material)
    return generate.Draws(hasher.digest())


@lru_cache(maxsize=64)
def _keyed_hasher(seed: int, index: int) -> Any:
    """blake2b keyed with the seed and choice index, its key block already absorbed: a copy
    of it hashes a request's material as `blake2b(material, key=...)` would, for less."""
    return hashlib.blake2b(digest_size=32, key=b"%d:%d" % (seed, index))


def _plan_choice(body: Body, model: Model, index: int, draws: generate.Draws,
                 replies: Replies) -> ChoicePlan:
    budget = max_output_tokens(body, model)
    chinese = generate.is_chinese(_last_text(body["messages"]))
    reasoning: list[str] = []
    thinking = thinking_enabled(body, model)
    if thinking:
        reasoning = reasoning_pieces(body, model, draws, chinese)
    calls = _plan_tool_calls(body, model, draws, chinese, replies.id)
    if thinking and calls and calls[0].type == "builtin_function":
        reasoning = []  # the real $web_search leg carries no reasoning_content (2026-04, k2.5)
    matched = None
    if calls:
        content: list[str] = []
        finish = "tool_calls"
    else:
        content = _content_pieces(body, draws, chinese, replies.reply_tokens)
        content, finish, matched = _apply_stop(content, body.get("stop"))
    if len(reasoning) + len(content) > budget:
        content = content[: max(0, budget - len(reasoning))]
        reasoning = reasoning[:budget]
        finish, matched = "length", None
    return ChoicePlan(index, tuple(reasoning), tuple(content), tuple(calls), finish, matched)


def _last_text(messages: list[Mapping[str, Any]]) -> str:
    for message in reversed(messages):
        content = message.get("content")
        if message.get("role") in ("user", "system") and content:
            if isinstance(content, str):
                return content
            return " ".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""


def _content_pieces(body: Body, draws: generate.Draws, chinese: bool,
                    reply_tokens: tuple[int, int]) -> list[str]:
    fmt = body.get("response_format")
    if fmt and fmt.get("type") in ("json_object", "json_schema"):
        schema = (fmt.get("json_schema") or {}).get("schema") if fmt["type"] == "json_schema" \
            else json_mode_schema(body["messages"])
        value = generate.json_value(draws, schema, chinese)
        return generate.split_json(orjson.dumps(value).decode())
    shape = asked_shape(body["messages"])  # a format the prompt asks for in words
    if shape is not None:
        return render(shape, draws, chinese)
    return generate.text_pieces(draws, chinese, draws.between(*reply_tokens))


def _apply_stop(pieces: list[str], stop: str | list[str] | None) -> tuple[list[str], str, str | None]:
    """Cut the reply before the earliest stop sequence; the stop text itself is not sent. The
    sequence that matched is returned too (None when none did)."""
    stops = [stop] if isinstance(stop, str) else [s for s in stop or () if s]
    if not stops:
        return pieces, "stop", None
    text = "".join(pieces)
    found = [(pos, s) for s in stops if (pos := text.find(s)) >= 0]
    if not found:
        return pieces, "stop", None
    cut, matched = min(found, key=lambda hit: hit[0])
    kept: list[str] = []
    used = 0
    for piece in pieces:
        if used + len(piece) >= cut:
            if cut > used:
                kept.append(piece[: cut - used])
            break
        kept.append(piece)
        used += len(piece)
    return kept, "stop", matched


def _plan_tool_calls(body: Body, model: Model, draws: generate.Draws, chinese: bool,
                     completion_id: str) -> list[ToolCall]:
    tools = callable_tools(body)  # top-level and dynamic: all declared before the answer
    if not tools:
        return []
    from mock_server.chat.tool_choice import choose_tool  # on first use, with its patterns

    tool = choose_tool(tools, body.get("tool_choice"), body["messages"],
                       _last_text(body["messages"]))
    if tool is None:
        return []
    rng = draws.rng
    function = tool.get("function") or {}
    name = str(function.get("name", ""))
    if tool.get("type") == "builtin_function":
        arguments = orjson.dumps({"search_result": {"search_id": f"{rng.getrandbits(128):032x}"},
                                  "usage": {"total_tokens": rng.randint(2000, 9000)}}).decode()
        call_id = f"t-{name.lstrip('$')}-{completion_id.removeprefix('chatcmpl-')[:12]}"
        return [ToolCall(call_id, "builtin_function", name, tuple(generate.split_json(arguments)))]
    arguments = generate.tool_arguments(rng, function.get("parameters"), chinese)
    prefix = "functions." if model.rules.get("tool_call_ids") == "functions" else ""
    return [ToolCall(f"{prefix}{name}:0", "function", name, tuple(generate.split_json(arguments)))]


def _message(choice: ChoicePlan) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": "".join(choice.content)}
    if choice.reasoning:
        message["reasoning_content"] = "".join(choice.reasoning)
    if choice.tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": c.type,
             "function": {"name": c.name, "arguments": "".join(c.arguments)}}
            for c in choice.tool_calls
        ]
    return message


def _choice(choice: ChoicePlan, logprobs: Logprobs | None) -> dict[str, Any]:
    entry = {"index": choice.index, "message": _message(choice), "finish_reason": choice.finish_reason}
    if logprobs is not None:
        entry["logprobs"] = {"content": content_entries(choice.content, logprobs)}
    return entry


def completion_body(plan: ChatPlan, usage: dict[str, int] | None = None) -> dict[str, Any]:
    """The non-stream answer (`usage`: the plan's, when the caller has it already). No
    `system_fingerprint`: the real non-stream captures (2024, 2026-04) have none; stream
    chunks do."""
    return {
        "id": plan.id, "object": "chat.completion", "created": plan.created, "model": plan.model,
        "choices": [_choice(c, plan.logprobs) for c in plan.choices],
        "usage": usage or plan.usage(),
    }


def _choice_deltas(choice: ChoicePlan, plan: ChatPlan) -> Iterator[dict[str, Any]]:
    """The `choices[0]` entries of one answer's chunks, first (with role) to last (with usage)."""
    index = choice.index
    yield {"index": index, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
    for piece in choice.reasoning:
        yield {"index": index, "delta": {"reasoning_content": piece}, "finish_reason": None}
    if plan.logprobs is None:
        for piece in choice.content:
            yield {"index": index, "delta": {"content": piece}, "finish_reason": None}
    else:
        for piece, entries in zip(choice.content, entries_by_piece(choice.content, plan.logprobs),
                                  strict=True):
            yield {"index": index, "delta": {"content": piece}, "logprobs": {"content": entries},
                   "finish_reason": None}
    for position, call in enumerate(choice.tool_calls):
        opening = {"index": position, "id": call.id, "type": call.type,
                   "function": {"name": call.name, "arguments": ""}}
        yield {"index": index, "delta": {"tool_calls": [opening]}, "finish_reason": None}
        for piece in call.arguments:
            fragment = {"index": position, "function": {"arguments": piece}}
            yield {"index": index, "delta": {"tool_calls": [fragment]}, "finish_reason": None}
    yield {"index": index, "delta": {}, "finish_reason": choice.finish_reason,
           "usage": plan.usage(choice)}


def chunk_bodies(plan: ChatPlan, include_usage: bool = False) -> Iterator[dict[str, Any]]:
    """Every chunk of the stream in order (answers interleaved when n > 1), before `[DONE]`."""
    head = {"id": plan.id, "object": "chat.completion.chunk", "created": plan.created,
            "model": plan.model}
    streams = [_choice_deltas(c, plan) for c in plan.choices]
    while streams:
        for stream in list(streams):
            entry = next(stream, None)
            if entry is None:
                streams.remove(stream)
                continue
            yield {**head, "choices": [entry], "system_fingerprint": plan.system_fingerprint}
    if include_usage:
        yield {**head, "choices": [], "system_fingerprint": plan.system_fingerprint,
               "usage": plan.usage()}
