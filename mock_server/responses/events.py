"""The Responses door's stream: the answer's items as SSE events, `event: <type>` then
`data: <json>` whose `type` is the same name and whose `sequence_number` counts from 0.

Every event is made with its `sequence_number` slot second (0 until framed): `frames` numbers
it in place, so an event is built and encoded once.

`response.created` and `response.in_progress` carry the response as it opens (no output, no
usage); each item is added empty, filled by its deltas and closed whole; the last event,
`response.completed` (or `response.incomplete`), carries exactly the non-stream body, so the
openai SDK's accumulator ends with the answer a non-stream request gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from mock_server.responses.body import ResponseView
from mock_server.responses.output import Item, item_body, output_text

Event = dict[str, Any]
SEQ = "sequence_number"
FINAL = {"completed": "response.completed", "incomplete": "response.incomplete",
         "failed": "response.failed"}


def answer_events(answer: ResponseView) -> Iterator[Event]:
    """Every event of the stream in order, each with its `sequence_number` slot (0)."""
    opening = answer.snapshot("in_progress", [])
    yield {"type": "response.created", SEQ: 0, "response": opening}
    yield {"type": "response.in_progress", SEQ: 0, "response": opening}
    finals = answer.final_items()
    for index, item in enumerate(answer.items):
        yield {"type": "response.output_item.added", SEQ: 0, "output_index": index,
               "item": item_body(item, "in_progress")}
        yield from _item_events(item, index)
        yield {"type": "response.output_item.done", SEQ: 0, "output_index": index,
               "item": finals[index]}
    yield {"type": FINAL[answer.status], SEQ: 0,
           "response": answer.snapshot(answer.status, finals)}


def failed_events(answer: ResponseView, code: str, message: str) -> Iterator[Event]:
    """A stream that fails before its first item: opened, then `response.failed`."""
    opening = answer.snapshot("in_progress", [])
    yield {"type": "response.created", SEQ: 0, "response": opening}
    yield {"type": "response.in_progress", SEQ: 0, "response": opening}
    failed = answer.snapshot("failed", [], {"code": code, "message": message})
    yield {"type": "response.failed", SEQ: 0, "response": failed}


def error_event(code: str, message: str) -> Event:
    """The stream's `error` event (an error after the stream started)."""
    return {"type": "error", SEQ: 0, "code": code, "message": message, "param": None}


def _item_events(item: Item, index: int) -> Iterator[Event]:
    """The events between an item's `added` and `done` (the kind's own generator)."""
    where = {"item_id": item.id, "output_index": index}
    kind = item.kind
    if kind == "web_search_call":
        return _search_events(where)
    if kind == "reasoning":
        return _reasoning_events(item, where)
    if kind == "message":
        return _message_events(item, where)
    return _call_events(item, where)


def _search_events(where: dict[str, Any]) -> Iterator[Event]:
    for step in ("in_progress", "searching", "completed"):
        yield {"type": f"response.web_search_call.{step}", SEQ: 0, **where}


def _call_events(item: Item, where: dict[str, Any]) -> Iterator[Event]:
    custom = item.kind == "custom_tool_call"
    name = "response.custom_tool_call_input" if custom else "response.function_call_arguments"
    delta = f"{name}.delta"
    for piece in item.pieces:
        yield {"type": delta, SEQ: 0, **where, "delta": piece}
    yield {"type": f"{name}.done", SEQ: 0, **where, "input" if custom else "arguments": item.text}


def _reasoning_events(item: Item, where: dict[str, Any]) -> Iterator[Event]:
    part = {**where, "summary_index": 0}
    yield {"type": "response.reasoning_summary_part.added", SEQ: 0, **part,
           "part": {"type": "summary_text", "text": ""}}
    for piece in item.pieces:
        yield {"type": "response.reasoning_summary_text.delta", SEQ: 0, **part, "delta": piece}
    text = item.text
    yield {"type": "response.reasoning_summary_text.done", SEQ: 0, **part, "text": text}
    yield {"type": "response.reasoning_summary_part.done", SEQ: 0, **part,
           "part": {"type": "summary_text", "text": text}}


def _message_events(item: Item, where: dict[str, Any]) -> Iterator[Event]:
    part = {**where, "content_index": 0}
    yield {"type": "response.content_part.added", SEQ: 0, **part, "part": output_text("")}
    for piece in item.pieces:
        yield {"type": "response.output_text.delta", SEQ: 0, **part, "delta": piece,
               "logprobs": []}
    text = item.text
    yield {"type": "response.output_text.done", SEQ: 0, **part, "text": text, "logprobs": []}
    yield {"type": "response.content_part.done", SEQ: 0, **part, "part": output_text(text)}


def frames(events: Iterable[Event], first: int = 0) -> Iterator[bytes]:
    """The events framed, numbered from `first` without gaps."""
    for number, event in enumerate(events, first):
        yield encode(event, number)


def encode(event: Event, number: int) -> bytes:
    """The event as its SSE frame, numbered in its slot."""
    event[SEQ] = number
    kind = event["type"]
    head = _HEADS.get(kind)
    if head is None:
        head = _HEADS[kind] = b"event: " + kind.encode() + b"\ndata: "
    return head + orjson.dumps(event) + b"\n\n"


_HEADS: dict[str, bytes] = {}  # `event: <type>` and `data: ` of each event type seen
