"""The contract rules of the Messages door: named frames in order, and its error envelope."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_server.anthropic.events import encode_event, message_events
from mock_server.anthropic.signature import SIGNER
from mock_server.chat.plan import ChatPlan, ChoicePlan, ToolCall
from moonshot_mock_contracts import invariants
from moonshot_mock_contracts.spec import load_spec, response_media, stream_schemas, validator_for

DOC = load_spec()
OPERATION = DOC["paths"]["/anthropic/v1/messages"]["post"]
SCHEMAS = stream_schemas(DOC, response_media(OPERATION, 200, "text/event-stream"))
CALL = ToolCall("functions.f:0", "function", "f", ('{"a"', ':1}'))
PLAN = ChatPlan("msg_1", 0, "kimi-k3", "fp", 12,
                (ChoicePlan(0, ("Think",), ("Hi", "!"), (CALL,), "tool_calls"),))
EVENTS = list(message_events(PLAN, SIGNER.sign))


def frames(events: list[Any]) -> bytes:
    return b"".join(encode_event(e) for e in events)


def test_the_door_s_stream_keeps_the_contract() -> None:
    assert SCHEMAS is not None and SCHEMAS.event_name_field == "type"
    assert invariants.stream_problems(frames(EVENTS), SCHEMAS) == []


@pytest.mark.parametrize(("body", "expected"), [
    (frames(EVENTS[:-1]), "the stream ends with ['content_block_stop', 'message_delta']"),
    (frames(EVENTS[1:]), "the stream opens with ['content_block_start']"),
    (frames(EVENTS).replace(b"event: message_delta", b"event: delta", 1),
     "is named 'delta' and its data's type is 'message_delta'"),
    (b"data: " + json.dumps(EVENTS[0]).encode() + b"\n\n" + frames(EVENTS[1:]), "is named None"),
    (frames([*EVENTS[:4], *EVENTS[5:]]), "opens block 1 while block 0 is open"),
    (frames([EVENTS[0], {"type": "content_block_start", "index": 0}, *EVENTS[-2:]]),
     "event #1 (root)"),
    (frames([*EVENTS[:2], *EVENTS[-2:]]), "block 0 is never closed"),
])
def test_each_broken_stream_is_named(body: bytes, expected: str) -> None:
    assert SCHEMAS is not None
    problems = invariants.stream_problems(body, SCHEMAS)
    assert any(expected in p for p in problems), problems


def test_the_messages_error_envelope() -> None:
    envelope = validator_for(DOC, {"$ref": "#/components/schemas/MessagesErrorResponse"})
    good = {"type": "error", "error": {"type": "invalid_request_error", "message": "x"},
            "request_id": "r"}
    assert invariants.envelope_problems(400, "application/json", json.dumps(good).encode(),
                                        envelope) == []
    chat_style = b'{"error":{"message":"x","type":"invalid_request_error"}}'
    assert invariants.envelope_problems(400, "application/json", chat_style, envelope)
