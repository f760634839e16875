"""The planned answer as a Message: content blocks, stop reason and usage.

One choice (the door has no `n`); its blocks are ordered thinking → text → tool_use. A thinking
block carries the signature of its text (`signature.ThinkingSigner`). The id is the plan's
(`msg_…`, minted for this door).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan, ChoicePlan, ToolCall

Sign = Callable[[str], str]  # thinking -> its signature
STOP_REASONS: Mapping[str, str] = {"stop": "end_turn", "length": "max_tokens",
                                   "tool_calls": "tool_use", "content_filter": "refusal"}


def stop_reason(finish_reason: str) -> str:
    return STOP_REASONS.get(finish_reason, "end_turn")


def usage(plan: ChatPlan, counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Chat's usage (`counts`: the plan's, when the caller has it already) in Messages terms:
    input excludes cache hits, output includes reasoning."""
    counts = plan.usage() if counts is None else counts
    cached = counts.get("cached_tokens", 0)
    return {"input_tokens": counts["prompt_tokens"] - cached,
            "output_tokens": counts["completion_tokens"],
            "cache_read_input_tokens": cached, "cache_creation_input_tokens": 0,
            "output_tokens_details": {"thinking_tokens": len(plan.choices[0].reasoning)}}


def tool_input(call: ToolCall) -> dict[str, Any] | None:
    """The call's input object; None when its arguments are not one (a scripted call cut by
    `max_tokens`), which is sent as `{}` (and streamed without deltas)."""
    try:
        value = orjson.loads("".join(call.arguments))
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def tool_use_block(call: ToolCall, input_: Any) -> dict[str, Any]:
    return {"type": "tool_use", "id": call.id, "name": call.name, "input": input_}


def content_blocks(choice: ChoicePlan, sign: Sign) -> list[dict[str, Any]]:
    reasoning, content, calls = choice.reasoning, choice.content, choice.tool_calls
    blocks: list[dict[str, Any]] = []
    if reasoning:
        thinking = "".join(reasoning)
        blocks.append({"type": "thinking", "thinking": thinking, "signature": sign(thinking)})
    if content or not calls:
        blocks.append({"type": "text", "text": "".join(content)})
    for call in calls:
        blocks.append(tool_use_block(call, tool_input(call) or {}))
    return blocks


def message_body(plan: ChatPlan, sign: Sign,
                 counts: Mapping[str, int] | None = None) -> dict[str, Any]:
    choice = plan.choices[0]
    return {"id": plan.id, "type": "message", "role": "assistant", "model": plan.model,
            "content": content_blocks(choice, sign),
            "stop_reason": stop_reason(choice.finish_reason), "stop_sequence": choice.stop_sequence,
            "usage": usage(plan, counts)}
