"""The pure stream, usage and envelope rules, table-driven on exact bytes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from moonshot_mock_contracts import invariants
from moonshot_mock_contracts.spec import load_spec, response_media, stream_schemas, validator_for
from moonshot_mock_contracts.sse import parse_stream

DOC = load_spec()
SCHEMAS = stream_schemas(DOC, response_media(DOC["paths"]["/v1/chat/completions"]["post"], 200,
                                             "text/event-stream"))
ERROR = validator_for(DOC, {"$ref": "#/components/schemas/Error"})
USAGE = {"prompt_tokens": 19, "completion_tokens": 2, "total_tokens": 21}


def chunk(delta: dict[str, Any], finish: str | None = None, usage: Any = None,
          id_: str = "chatcmpl-1", created: int = 100) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": finish}
    if usage is not None:
        choice["usage"] = usage
    return {"id": id_, "object": "chat.completion.chunk", "created": created,
            "model": "moonshot-v1-8k", "choices": [choice]}


def encode(*chunks: Any, done: bool = True, tail: bytes = b"") -> bytes:
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    return body + (b"data: [DONE]\n\n" if done else b"") + tail


GOOD = [chunk({"role": "assistant", "content": ""}), chunk({"content": "hi"}),
        chunk({}, "stop", USAGE)]


def test_a_documented_stream_has_no_problems() -> None:
    assert SCHEMAS is not None
    assert invariants.stream_problems(encode(*GOOD), SCHEMAS) == []


@pytest.mark.parametrize(("body", "expected"), [
    (encode(*GOOD, done=False), "documented the terminator"),
    (encode(*GOOD, tail=b"data: {}\n\n"), "1 event(s) after [DONE]"),
    (encode(GOOD[0], chunk({"content": "x"}, id_="chatcmpl-2"), GOOD[2]), "2 different id"),
    (encode(GOOD[0], chunk({"content": "x"}, created=101), GOOD[2]), "2 different created"),
    (encode(GOOD[0], chunk({"role": "assistant", "content": "x"}), GOOD[2]),
     "delta.role in chunk(s) [0, 1]"),
    (encode(GOOD[0], chunk({}, "stop", USAGE), GOOD[2]), "2 chunks carry a finish_reason"),
    (encode(GOOD[0], GOOD[1], chunk({}, "stop")), "usage in chunk(s) []"),
    (encode(GOOD[0], GOOD[1], chunk({}, "stop", {**USAGE, "total_tokens": 5})),
     "total_tokens is 5"),
    (encode(GOOD[0], {"id": 1}, GOOD[2]), "event #1 /id"),
    (b": ping\n\n" + encode(*GOOD), "comment line"),
    (encode(*GOOD)[:-1], "does not end with a blank line"),
])
def test_each_broken_stream_is_named(body: bytes, expected: str) -> None:
    assert SCHEMAS is not None
    problems = invariants.stream_problems(body, SCHEMAS)
    assert any(expected in p for p in problems), problems


def test_parse_stream_joins_data_lines_and_keeps_other_fields() -> None:
    stream = parse_stream(b"event: x\ndata: a\ndata: b\n\n: c\n\n")
    assert [(e.data, e.other_fields) for e in stream.events] == [("a\nb", ("event",))]
    assert stream.comments == ("c",)


@pytest.mark.parametrize(("status", "media", "body", "expected"), [
    (401, "application/json",
     b'{"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}', []),
    (404, "application/json", b'{"detail":"Not Found"}', ["404 error envelope (root): \"error\""]),
    (500, "text/plain", b"Internal Server Error", ["500 answered with Content-Type 'text/plain'"]),
    (400, "application/json", b"oops", ["400 body is not JSON"]),
])
def test_error_envelope(status: int, media: str, body: bytes, expected: list[str]) -> None:
    problems = invariants.envelope_problems(status, media, body, ERROR)
    assert [p for p in problems if not any(p.startswith(e) for e in expected)] == [] \
        and len(problems) >= len(expected)
    assert bool(problems) == bool(expected)


def test_estimate_and_not_found_rules() -> None:
    v1 = {"model": "moonshot-v1-8k"}
    assert invariants.estimate_problems(80, 83, v1) == []  # the documented pair
    assert invariants.estimate_problems(80, 80, v1) == [
        "estimate-token-count answered 80 for the same model, messages and tools, but the "
        "completion reported prompt_tokens 80; documented: the estimate + 3 = 83 (the generation "
        "prompt)"]
    assert invariants.estimate_problems(80, 84, {"model": "kimi-k2.5"}) == []  # + <think>
    assert invariants.estimate_problems(80, 85, {"model": "kimi-k2.5",
                                                 "thinking": {"type": "disabled"}}) == []
    assert invariants.estimate_problems(80, 93, {"model": "kimi-k3"}) == []
    assert invariants.estimate_problems(80, 82, {"model": "kimi-k3"}) != []
    schema = {"type": "json_schema", "json_schema": {"name": "a", "schema": {"type": "object"}}}
    assert invariants.estimate_problems(80, 120, {**v1, "response_format": schema}) == []
    envelope = {"error": {"message": "gone", "type": "resource_not_found_error"}}
    assert invariants.not_found_problems(404, envelope, ERROR) == []
    assert invariants.not_found_problems(200, {}, ERROR) == [
        "after a successful delete the same id answered 200, documented 404"]


RESPONSES = stream_schemas(DOC, response_media(DOC["paths"]["/v1/responses"]["post"], 200,
                                               "text/event-stream"))


def respond(events: list[dict[str, Any]], numbers: list[int] | None = None,
            names: list[str] | None = None) -> bytes:
    """A Responses stream: `event: <type>` + data with sequence numbers."""
    numbers = numbers if numbers is not None else list(range(len(events)))
    names = names or [e["type"] for e in events]
    return b"".join(b"event: " + name.encode() + b"\ndata: " + json.dumps(
        {**event, "sequence_number": number}).encode() + b"\n\n"
        for event, name, number in zip(events, names, numbers, strict=True))


OPENED = {"id": "resp_1", "object": "response", "created_at": 1, "status": "in_progress",
          "model": "kimi-k3", "output": [], "tools": [], "tool_choice": "auto",
          "parallel_tool_calls": True}
DONE = {**OPENED, "status": "completed"}
RESPONSE_EVENTS = [{"type": "response.created", "response": OPENED},
                   {"type": "response.in_progress", "response": OPENED},
                   {"type": "response.completed", "response": DONE}]


def test_a_documented_responses_stream_has_no_problems() -> None:
    assert RESPONSES is not None and RESPONSES.terminator is None
    assert invariants.stream_problems(respond(RESPONSE_EVENTS), RESPONSES) == []


@pytest.mark.parametrize(("body", "expected"), [
    (respond(RESPONSE_EVENTS, numbers=[0, 2, 3]), "sequence numbers [0, 2, 3]"),
    (respond(RESPONSE_EVENTS, names=["response.created", "ping", "response.completed"]),
     "event #1 is named 'ping' and its data's type is 'response.in_progress'"),
    (respond(RESPONSE_EVENTS[:2]), "the last event is ['response.in_progress']"),
    (respond(RESPONSE_EVENTS[1:]), "the first event is ['response.in_progress']"),
    (respond([*RESPONSE_EVENTS[:2], {"type": "response.completed",
                                     "response": {**DONE, "id": "resp_2"}}]), "2 response ids"),
])
def test_each_broken_responses_stream_is_named(body: bytes, expected: str) -> None:
    assert RESPONSES is not None
    problems = invariants.stream_problems(body, RESPONSES)
    assert any(expected in p for p in problems), problems
