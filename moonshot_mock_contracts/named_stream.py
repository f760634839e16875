"""Streams of named frames (the Messages door's Anthropic framing; the Responses door's order
is `responses_stream.py`'s), as plain rules: bytes in, problems out.

Each frame is `event: <name>` + `data: <JSON>`; the name equals a field of the data (`type`), the
data validates against the documented event schema, and the events come in the documented
order: `message_start` → (`content_block_start` → `content_block_delta`… →
`content_block_stop`) per block, indices from 0 → `message_delta` → `message_stop`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .responses_stream import response_order_problems
from .spec import StreamSchemas
from .sse import framing_problems, parse_stream


def named_stream_problems(body: bytes, schemas: StreamSchemas) -> list[str]:
    stream = parse_stream(body)
    problems = framing_problems(stream)
    if not stream.events:
        return problems
    field = schemas.event_name_field or "type"
    events: list[Mapping[str, Any]] = []
    for number, event in enumerate(stream.events):
        try:
            data = json.loads(event.data)
        except ValueError:
            problems.append(f"event #{number} is not JSON: {event.data[:60]!r}")
            continue
        problems.extend(f"event #{number} {p}" for p in schemas.data(data))
        named = data.get(field) if isinstance(data, Mapping) else None
        if event.name != named:
            problems.append(f"event #{number} is named {event.name!r} and its data's {field} is "
                            f"{named!r}; documented equal")
        if isinstance(data, Mapping):
            events.append(data)
    ordered = response_order_problems if schemas.order == "responses" else order_problems
    return problems + ordered(events)


def order_problems(events: list[Mapping[str, Any]]) -> list[str]:
    types = [str(e.get("type")) for e in events]
    problems = []
    if types[:1] != ["message_start"]:
        problems.append(f"the stream opens with {types[:1]}; documented message_start")
    if types[-2:] != ["message_delta", "message_stop"]:
        problems.append(f"the stream ends with {types[-2:]}; documented message_delta, message_stop")
    for name in ("message_start", "message_delta", "message_stop"):
        if types.count(name) > 1:
            problems.append(f"{types.count(name)} {name} events; documented one")
    return problems + block_problems(events)


def block_problems(events: list[Mapping[str, Any]]) -> list[str]:
    """Blocks open, carry their deltas and close one after another, indices 0, 1, …"""
    problems = []
    open_index: Any = None
    count = 0
    for number, event in enumerate(events):
        kind, index = event.get("type"), event.get("index")
        if kind == "content_block_start":
            if open_index is not None or index != count:
                problems.append(f"event #{number} opens block {index} while block {open_index} is "
                                f"open or {count} is next; documented one block at a time, in order")
            open_index, count = index, count + 1
        elif kind in ("content_block_delta", "content_block_stop"):
            if index != open_index:
                problems.append(f"event #{number} ({kind}) is for block {index}, but the open block "
                                f"is {open_index}")
            if kind == "content_block_stop":
                open_index = None
    if open_index is not None:
        problems.append(f"block {open_index} is never closed")
    return problems
