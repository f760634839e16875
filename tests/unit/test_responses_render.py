"""The Responses door's renderer: a planned answer as the Response object and its SSE events,
checked byte for byte and against the openai SDK's own stream accumulator."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from openai._models import validate_type
from openai._types import omit
from openai.lib.streaming.responses._responses import ResponseStreamState
from openai.types.responses import Response, ResponseStreamEvent

from mock_server.chat.plan import ChatPlan, ChoicePlan, ToolCall
from mock_server.data.spec import load_spec, validate_body
from mock_server.responses.body import ResponseView
from mock_server.responses.events import answer_events, error_event, failed_events, frames
from mock_server.responses.output import Defaults, patch_text
from mock_server.responses.request import DoorRequest, parse_request, with_search
from mock_server.responses.search import Search, search_for

OPERATION = load_spec().operation("createResponse")
DEFAULTS = Defaults(131072, 1.0, 0.95)
WEATHER = {"type": "function", "name": "get_weather",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}


def door(**body: Any) -> DoorRequest:
    return parse_request(validate_body(OPERATION, {"model": "kimi-k3", "input": "hi", **body}))


SEPTEMBER_3 = 1788400000  # 2026-09-03 (UTC)


def plan(reasoning: tuple[str, ...] = ("Think", "ing."), content: tuple[str, ...] = ("Hel", "lo"),
         calls: tuple[ToolCall, ...] = (), finish: str = "stop", cached: int = 0) -> ChatPlan:
    choice = ChoicePlan(0, reasoning, content, calls, finish)
    return ChatPlan("chatcmpl-6a0b1c2d00112233aabbccdd", SEPTEMBER_3, "kimi-k3", "fpv0_1",
                    12, (choice,), cached)


def answer(chat: ChatPlan, request: DoorRequest | None = None, search: Search | None = None) -> ResponseView:
    return ResponseView(chat, request or door(), search, DEFAULTS, completed_at=1788000002)


def sdk_stream(raw: bytes, tools: Any = omit) -> tuple[list[dict[str, Any]], Any]:
    """Each frame's data, and the response the openai SDK's accumulator ends with."""
    state = ResponseStreamState(text_format=omit, input_tools=tools)
    datas, final = [], None
    for block in raw.decode().split("\n\n")[:-1]:
        name, data = block.split("\n")
        event = orjson.loads(data.removeprefix("data: "))
        assert name == f"event: {event['type']}"
        datas.append(event)
        for out in state.handle_event(validate_type(type_=ResponseStreamEvent, value=event)):
            if out.type in ("response.completed", "response.incomplete"):
                final = out.response
    return datas, final


def test_the_non_stream_body() -> None:
    body = answer(plan(cached=4)).body()
    assert body == {
        "id": "resp_6a0b1c2d00112233aabbccdd", "object": "response", "created_at": SEPTEMBER_3,
        "status": "completed", "background": False, "completed_at": 1788000002,
        "conversation": None, "error": None, "incomplete_details": None, "instructions": None,
        "max_output_tokens": 131072, "metadata": None, "model": "kimi-k3",
        "output": [
            {"type": "reasoning", "id": body["output"][0]["id"],
             "summary": [{"type": "summary_text", "text": "Thinking."}],
             "encrypted_content": None, "status": "completed"},
            {"type": "message", "id": body["output"][1]["id"], "role": "assistant",
             "status": "completed",
             "content": [{"type": "output_text", "text": "Hello", "annotations": []}]}],
        "parallel_tool_calls": True, "previous_response_id": None, "prompt_cache_key": None,
        "reasoning": {"effort": "max", "summary": None}, "safety_identifier": None,
        "service_tier": None, "store": False, "temperature": 1.0, "text": None,
        "tool_choice": "auto", "tools": [], "top_p": 0.95,
        "usage": {"input_tokens": 12, "input_tokens_details": {"cached_tokens": 4,
                                                               "cache_write_tokens": 0},
                  "output_tokens": 4, "output_tokens_details": {"reasoning_tokens": 2},
                  "total_tokens": 16}}
    assert body["output"][0]["id"].startswith("rs_") and body["output"][1]["id"].startswith("msg_")
    validate_type(type_=Response, value=body)


def test_the_stream_bytes() -> None:
    raw = b"".join(frames(answer_events(answer(plan(reasoning=(), content=("Hi",))))))
    frames_ = raw.split(b"\n\n")[:-1]
    assert [f.split(b"\n")[0] for f in frames_] == [
        b"event: response.created", b"event: response.in_progress",
        b"event: response.output_item.added", b"event: response.content_part.added",
        b"event: response.output_text.delta", b"event: response.output_text.done",
        b"event: response.content_part.done", b"event: response.output_item.done",
        b"event: response.completed"]
    msg = answer(plan()).items[1].id.replace("rs_", "msg_")  # ids do not depend on the plan's text
    delta = frames_[4].replace(msg.encode(), b"ID")
    assert delta == (b'event: response.output_text.delta\ndata: {"type":"response.output_text.delta",'
                     b'"sequence_number":4,"item_id":"ID","output_index":0,"content_index":0,'
                     b'"delta":"Hi","logprobs":[]}')


@pytest.mark.parametrize("chat", [
    plan(),
    plan(reasoning=("a",) * 5, content=(), finish="length"),
    plan(content=(), calls=(ToolCall("functions.get_weather:0", "function", "get_weather",
                                     ('{"city"', ':"Beijing"}')),), finish="tool_calls"),
])
def test_the_sdk_accumulator_ends_with_the_non_stream_body(chat: ChatPlan) -> None:
    request = door(tools=[WEATHER])
    subject = answer(chat, request)
    datas, final = sdk_stream(b"".join(frames(answer_events(subject))), [WEATHER])
    assert [d["sequence_number"] for d in datas] == list(range(len(datas)))
    assert final is not None and final.model_dump(exclude_none=True) == \
        validate_type(type_=Response, value=subject.body()).model_dump(exclude_none=True)
    assert datas[0]["response"]["status"] == "in_progress" and datas[0]["response"]["usage"] is None


def test_max_output_tokens_ends_incomplete() -> None:
    body = answer(plan(reasoning=("a",) * 5, content=(), finish="length")).body()
    assert body["status"] == "incomplete"
    assert body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert [(o["type"], o["status"]) for o in body["output"]] == [("reasoning", "incomplete")]
    events = list(answer_events(answer(plan(finish="length"))))
    assert events[-1]["type"] == "response.incomplete"


def test_calls_read_back_as_the_declared_tools() -> None:
    request = door(tools=[{"type": "namespace", "name": "mcp__fs", "description": "d",
                           "tools": [{"type": "function", "name": "read"}]},
                          {"type": "custom", "name": "apply_patch",
                           "format": {"type": "grammar", "syntax": "lark", "definition": "x"}}])
    calls = (ToolCall("functions.mcp__fs__read:0", "function", "mcp__fs__read", ("{}",)),
             ToolCall("functions.apply_patch:1", "function", "apply_patch",
                      ('{"patch":"line one"}',)))
    output = answer(plan(calls=calls, content=(), finish="tool_calls"), request).body()["output"]
    assert [o["type"] for o in output] == ["reasoning", "function_call", "custom_tool_call"]
    assert output[1] | {"id": "fc"} == {"type": "function_call", "id": "fc", "status": "completed",
                                        "call_id": "read_0", "name": "read",
                                        "namespace": "mcp__fs", "arguments": "{}"}
    assert output[2]["call_id"] == "apply_patch_1" and output[2]["id"].startswith("ctc_")
    assert output[2]["input"] == ("*** Begin Patch\n*** Add File: notes.md\n+line one\n"
                                  "*** End Patch")
    kinds = [e["type"] for e in answer_events(answer(plan(calls=calls, content=(),
                                                          finish="tool_calls"), request))]
    assert "response.custom_tool_call_input.delta" in kinds
    assert "response.custom_tool_call_input.done" in kinds


def test_a_patch_argument_is_sent_as_it_is() -> None:
    patch = "*** Begin Patch\n*** Update File: a.py\n@@\n-x\n+y\n*** End Patch"
    assert patch_text(orjson.dumps({"patch": patch}).decode()) == patch


def test_a_web_search_leads_the_output_with_sources_when_included() -> None:
    search = search_for("What are the top news stories today?")
    assert search == Search("top news", search.sources, True)
    request = door(tools=[{"type": "web_search"}], include=["web_search_call.action.sources"])
    read = with_search(request, search).chat["messages"]
    assert [m["role"] for m in read] == ["user", "assistant", "tool"]
    assert read[1]["tool_calls"][0]["function"] == {"name": "web_search",
                                                    "arguments": '{"query":"top news"}'}
    assert read[2]["content"].startswith("Search results for: top news\n[1] Top News (1)")
    output = answer(plan(), request, search).body()["output"]
    assert [o["type"] for o in output] == ["web_search_call", "reasoning", "message"]
    assert output[0]["id"].startswith("ws_") and output[0]["status"] == "completed"
    assert output[0]["action"]["query"] == "top news September 3 2026"
    assert [s["url"] for s in output[0]["action"]["sources"]] == [u for u, _ in search.sources]
    without = answer(plan(), door(tools=[{"type": "web_search"}]), search).body()["output"][0]
    assert "sources" not in without["action"]
    kinds = [e["type"] for e in answer_events(answer(plan(), request, search))][2:8]
    assert kinds == ["response.output_item.added", "response.web_search_call.in_progress",
                     "response.web_search_call.searching", "response.web_search_call.completed",
                     "response.output_item.done", "response.output_item.added"]


def test_echoed_settings() -> None:
    request = door(instructions="Be brief.", max_output_tokens=99, metadata={"k": "v"},
                   reasoning={"effort": "low", "summary": "auto"}, parallel_tool_calls=False,
                   text={"format": {"type": "json_schema", "schema": {"type": "object"}}},
                   tools=[WEATHER], prompt_cache_key="p", store=True)
    body = answer(plan(), request).body()
    assert (body["instructions"], body["max_output_tokens"], body["metadata"]) == \
        ("Be brief.", 99, {"k": "v"})
    assert body["reasoning"] == {"effort": "low", "summary": "auto"}
    assert body["parallel_tool_calls"] is False and body["store"] is False
    assert body["tools"] == [WEATHER] and body["prompt_cache_key"] == "p"
    assert body["text"] == {"format": {"type": "json_schema", "schema": {"type": "object"}}}


def test_a_failed_stream_and_the_error_event() -> None:
    events = list(failed_events(answer(plan()), "server_error", "boom"))
    assert [e["type"] for e in events] == ["response.created", "response.in_progress",
                                           "response.failed"]
    failed = events[-1]["response"]
    assert failed["status"] == "failed" and failed["error"] == {"code": "server_error",
                                                                "message": "boom"}
    assert failed["completed_at"] is None and failed["usage"] is None
    validate_type(type_=Response, value=failed)
    assert error_event("rate_limit_reached_error", "slow down") == {
        "type": "error", "sequence_number": 0, "code": "rate_limit_reached_error",
        "message": "slow down", "param": None}
