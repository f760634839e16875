"""The planned answer as an Anthropic-framed stream: the events, and their exact bytes.

Every frame is `event: <type>\\ndata: <compact JSON>\\n\\n`, the name equal to `data.type`.
Order: `message_start` (the message with empty content, no stop reason, the input usage) →
for each block `content_block_start` → its deltas → `content_block_stop` → `message_delta` (stop
reason, stop sequence, the whole usage) → `message_stop`. Deltas carry the plan's own pieces:
`thinking_delta`s then one `signature_delta`, `text_delta`s, `input_json_delta`s whose
`partial_json` concatenates to the tool's input. What an SDK accumulates from them equals
`render.message_body` of the same plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import orjson

from mock_server.anthropic.render import Sign, stop_reason, tool_input, tool_use_block, usage

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan, ChoicePlan

Event = dict[str, Any]


def encode_event(event: Mapping[str, Any]) -> bytes:
    return b"event: " + event["type"].encode() + b"\ndata: " + orjson.dumps(event) + b"\n\n"


def message_events(plan: ChatPlan, sign: Sign,
                   counts: Mapping[str, int] | None = None) -> Iterator[Event]:
    choice = plan.choices[0]
    totals = usage(plan, counts)
    opening = {"input_tokens": totals["input_tokens"], "output_tokens": 0,
               "cache_read_input_tokens": totals["cache_read_input_tokens"],
               "cache_creation_input_tokens": totals["cache_creation_input_tokens"]}
    yield {"type": "message_start", "message": {
        "id": plan.id, "type": "message", "role": "assistant", "model": plan.model,
        "content": [], "stop_reason": None, "stop_sequence": None, "usage": opening}}
    for index, (block, deltas) in enumerate(_blocks(choice, sign)):
        yield {"type": "content_block_start", "index": index, "content_block": block}
        for delta in deltas:
            yield {"type": "content_block_delta", "index": index, "delta": delta}
        yield {"type": "content_block_stop", "index": index}
    yield {"type": "message_delta", "delta": {"stop_reason": stop_reason(choice.finish_reason),
                                              "stop_sequence": choice.stop_sequence}, "usage": totals}
    yield {"type": "message_stop"}


def _blocks(choice: ChoicePlan, sign: Sign) -> Iterator[tuple[Event, Iterator[Event]]]:
    """Each block as it opens, with its deltas."""
    if choice.reasoning:
        yield {"type": "thinking", "thinking": "", "signature": ""}, _thinking(choice, sign)
    if choice.content or not choice.tool_calls:
        yield {"type": "text", "text": ""}, ({"type": "text_delta", "text": piece}
                                             for piece in choice.content)
    for call in choice.tool_calls:
        pieces = call.arguments if tool_input(call) is not None else ()
        yield tool_use_block(call, {}), ({"type": "input_json_delta", "partial_json": piece}
                                         for piece in pieces)


def _thinking(choice: ChoicePlan, sign: Sign) -> Iterator[Event]:
    for piece in choice.reasoning:
        yield {"type": "thinking_delta", "thinking": piece}
    yield {"type": "signature_delta", "signature": sign("".join(choice.reasoning))}
