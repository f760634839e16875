"""Choices planned from a scripted reply (a stub) instead of generated: the same plan parts, so
a stub streams, counts, truncates and stops exactly as a generated answer does. A thinking model
reasons before a stub's answer unless the stub gives its own `reasoning_content`.

Text is cut into as many pieces as the app's token counter counts for it, so `completion_tokens`
(pieces) and the token counter agree; tool-call arguments are cut like generated ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

from mock_server.chat import generate
from mock_server.chat.plan import Body, ChoicePlan, ToolCall, _apply_stop
from mock_server.chat.rules import max_output_tokens, thinking_enabled
from mock_server.chat.tokens import DEFAULT_COUNTER
from mock_server.data.catalogue import Model


class ScriptedCall(NamedTuple):
    name: str
    arguments: str  # JSON text
    id: str | None = None


class Scripted(NamedTuple):
    """What a stub says: any of text, reasoning and tool calls, and an optional finish reason."""

    content: str | None = None
    reasoning: str | None = None
    calls: tuple[ScriptedCall, ...] = ()
    finish_reason: str | None = None


TextCount = Callable[[str], int]


def token_pieces(text: str, count_text: TextCount = DEFAULT_COUNTER.text) -> list[str]:
    """`text` in `count_text(text)` pieces of nearly equal length (one at least, when not empty)."""
    if not text:
        return []
    count = max(1, min(count_text(text), len(text)))
    size = len(text) / count
    return [text[round(i * size) : round((i + 1) * size)] for i in range(count)]


def call_id(model: Model, name: str, position: int) -> str:
    """A tool-call id in the model family's format."""
    prefix = "functions." if model.rules.get("tool_call_ids") == "functions" else ""
    return f"{prefix}{name}:{position}"


def scripted_choices(body: Body, model: Model, reply: Scripted,
                     count_text: TextCount = DEFAULT_COUNTER.text) -> tuple[ChoicePlan, ...]:
    """`count_text`: the app's text counter (the exact vocabulary when it has one)."""
    return tuple([_choice(body, model, index, reply, count_text)
                  for index in range(int(body.get("n") or 1))])


def _choice(body: Body, model: Model, index: int, reply: Scripted,
            count_text: TextCount) -> ChoicePlan:
    reasoning = token_pieces(reply.reasoning or "", count_text)
    if reply.reasoning is None and thinking_enabled(body, model):
        reasoning = _thinking(body, reply, index)
    content = token_pieces(reply.content or "", count_text)
    calls = [ToolCall(c.id or call_id(model, c.name, position), "function", c.name,
                      tuple(generate.split_json(c.arguments)))
             for position, c in enumerate(reply.calls)]
    finish = "tool_calls" if calls else "stop"
    matched = None
    if content and not calls:
        content, finish, matched = _apply_stop(content, body.get("stop"))
    budget = max_output_tokens(body, model)
    if len(reasoning) + len(content) + sum(len(c.arguments) + 2 for c in calls) > budget:
        reasoning, content, calls = _truncate(reasoning, content, calls, budget)
        return ChoicePlan(index, tuple(reasoning), tuple(content), tuple(calls), "length")
    return ChoicePlan(index, tuple(reasoning), tuple(content), tuple(calls),
                      reply.finish_reason or finish, matched)


def _thinking(body: Body, reply: Scripted, index: int) -> list[str]:
    """Reasoning for a thinking model when the stub gives none (a thinking model always
    reasons, and clients send it back with tool calls): drawn from the request and the reply."""
    material = repr((body.get("model"), body.get("messages"), reply, index)).encode()
    draws = generate.Draws(hashlib.blake2b(material, digest_size=32).digest())
    chinese = generate.is_chinese(reply.content or "")
    return generate.text_pieces(draws, chinese, draws.between(8, 24))


def _truncate(reasoning: list[str], content: list[str], calls: Sequence[ToolCall],
              budget: int) -> tuple[list[str], list[str], list[ToolCall]]:
    """What fits in `budget` tokens: reasoning first, then text, then the calls' arguments."""
    reasoning = reasoning[:budget]
    left = budget - len(reasoning)
    content = content[: max(0, left)]
    left -= len(content)
    kept: list[ToolCall] = []
    for call in calls:
        if left <= 2:
            break
        kept.append(call._replace(arguments=call.arguments[: left - 2]))
        left -= len(kept[-1].arguments) + 2
    return reasoning, content, kept
