"""The Messages door's renderer: a planned answer as a Message and as its exact stream bytes,
with the anthropic SDK's own stream accumulator as the oracle."""

from __future__ import annotations

from typing import Any

import anthropic
import orjson
import pytest
from anthropic.lib.streaming._messages import accumulate_event

from mock_server.anthropic.envelope import error_body
from mock_server.anthropic.events import encode_event, message_events
from mock_server.anthropic.parse import chat_request
from mock_server.anthropic.render import message_body, stop_reason
from mock_server.anthropic.signature import SIGNER
from mock_server.chat.plan import ChatPlan, ChoicePlan, Replies, ToolCall, plan_chat
from mock_server.chat.rules import check_chat_request
from mock_server.data.catalogue import load_catalogue
from mock_server.errors import MoonshotError

CATALOGUE = load_catalogue()

REPLIES = Replies(seed=1, reply_tokens=(16, 64), id="msg_6936a1c0aaaaaaaaaaaaaaaa",
                  created=0, system_fingerprint="fpv0_00000000")
WEATHER = {"name": "get_weather", "input_schema": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}


def planned(**fields: Any) -> ChatPlan:
    body = {"model": "kimi-k3", "max_tokens": 512,
            "messages": [{"role": "user", "content": "Weather in Paris?"}], **fields}
    model = CATALOGUE.get(body["model"])
    request = chat_request(body, model, SIGNER.valid)
    model, prompt_tokens = check_chat_request(request, CATALOGUE)
    return plan_chat(request, model, prompt_tokens, REPLIES)


def accumulated(plan: ChatPlan) -> anthropic.types.Message:
    snapshot = None
    buffers: dict[int, bytes] = {}
    for event in message_events(plan, SIGNER.sign):
        snapshot = accumulate_event(event=event, current_snapshot=snapshot, json_bufs=buffers)
    assert snapshot is not None
    return snapshot


def test_a_small_plan_streams_these_exact_bytes() -> None:
    choice = ChoicePlan(0, ("Say", " hi."), ("Hi", "!"), (), "stop")
    plan = ChatPlan("msg_6936a1c0aaaaaaaaaaaaaaaa", 0, "kimi-k3", "fp", 12, (choice,), 4)
    signature = SIGNER.sign("Say hi.")
    frames = b"".join(encode_event(e) for e in message_events(plan, SIGNER.sign))
    usage = (b'"usage":{"input_tokens":8,"output_tokens":4,"cache_read_input_tokens":4,'
             b'"cache_creation_input_tokens":0,"output_tokens_details":{"thinking_tokens":2}}')
    assert frames == (
        b'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_6936a1c0aaaaaaaaaaaaaaaa",'
        b'"type":"message","role":"assistant","model":"kimi-k3","content":[],"stop_reason":null,'
        b'"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":0,"cache_read_input_tokens":4,'
        b'"cache_creation_input_tokens":0}}}\n\n'
        b'event: content_block_start\ndata: {"type":"content_block_start","index":0,'
        b'"content_block":{"type":"thinking","thinking":"","signature":""}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
        b'"delta":{"type":"thinking_delta","thinking":"Say"}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
        b'"delta":{"type":"thinking_delta","thinking":" hi."}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,'
        b'"delta":{"type":"signature_delta","signature":"' + signature.encode() + b'"}}\n\n'
        b'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'
        b'event: content_block_start\ndata: {"type":"content_block_start","index":1,'
        b'"content_block":{"type":"text","text":""}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,'
        b'"delta":{"type":"text_delta","text":"Hi"}}\n\n'
        b'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,'
        b'"delta":{"type":"text_delta","text":"!"}}\n\n'
        b'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n'
        b'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn",'
        b'"stop_sequence":null},' + usage + b'}\n\n'
        b'event: message_stop\ndata: {"type":"message_stop"}\n\n')


def test_every_frame_is_named_after_its_data_type() -> None:
    for event in message_events(planned(tools=[WEATHER]), SIGNER.sign):
        frame = encode_event(event)
        name, data = frame.removesuffix(b"\n\n").split(b"\n")
        assert name == b"event: " + orjson.loads(data.removeprefix(b"data: "))["type"].encode()


@pytest.mark.parametrize("fields", [
    {},
    {"tools": [WEATHER]},
    {"tools": [WEATHER], "tool_choice": {"type": "none"}},
    {"output_config": {"effort": "low",
                       "format": {"type": "json_schema", "schema": WEATHER["input_schema"]}}},
    {"max_tokens": 20},
    {"stop_sequences": ["e"]},
])
def test_the_sdk_accumulates_the_stream_into_the_non_stream_message(fields: dict[str, Any]) -> None:
    plan = planned(**fields)
    whole = anthropic.types.Message.model_validate(message_body(plan, SIGNER.sign))
    assert accumulated(plan).model_dump() == whole.model_dump()


def test_blocks_are_ordered_thinking_text_tool_use() -> None:
    message = message_body(planned(tools=[WEATHER], tool_choice={"type": "any"}), SIGNER.sign)
    assert [b["type"] for b in message["content"]] == ["thinking", "tool_use"]
    assert message["stop_reason"] == "tool_use"
    tool_use = message["content"][1]
    assert tool_use["id"] == "functions.get_weather:0" and set(tool_use["input"]) == {"city"}
    thinking = message["content"][0]
    assert SIGNER.valid(thinking["thinking"], thinking["signature"])


def test_usage_in_messages_terms() -> None:
    plan = planned()._replace(cached_tokens=5)
    usage = message_body(plan, SIGNER.sign)["usage"]
    chat = plan.usage()
    assert usage["input_tokens"] == chat["prompt_tokens"] - 5
    assert usage["cache_read_input_tokens"] == 5
    assert usage["output_tokens"] == chat["completion_tokens"]
    assert usage["output_tokens_details"]["thinking_tokens"] == len(plan.choices[0].reasoning) > 0


def test_the_budget_ends_with_max_tokens() -> None:
    assert message_body(planned(max_tokens=10), SIGNER.sign)["stop_reason"] == "max_tokens"


@pytest.mark.parametrize(("finish", "reason"), [("stop", "end_turn"), ("length", "max_tokens"),
                                                ("tool_calls", "tool_use"), ("content_filter", "refusal")])
def test_stop_reasons(finish: str, reason: str) -> None:
    assert stop_reason(finish) == reason


def test_a_tool_call_streams_its_input_as_partial_json() -> None:
    call = ToolCall("functions.get_weather:0", "function", "get_weather", ('{"ci', 'ty":"Pa', 'ris"}'))
    plan = ChatPlan("msg_1", 0, "kimi-k3", "fp", 9, (ChoicePlan(0, (), (), (call,), "tool_calls"),))
    deltas = [e["delta"] for e in message_events(plan, SIGNER.sign) if e["type"] == "content_block_delta"]
    assert deltas == [{"type": "input_json_delta", "partial_json": p} for p in call.arguments]
    assert accumulated(plan).content[0].input == {"city": "Paris"}


def test_error_envelopes() -> None:
    bad = MoonshotError("invalid_request_error", "Invalid request: max_tokens is required")
    assert orjson.loads(error_body(bad, "req-1")) == {
        "type": "error", "error": {"type": "invalid_request_error",
                                   "message": "Invalid request: max_tokens is required"},
        "request_id": "req-1"}
    crash = MoonshotError("server_error", "Internal server error, please try again later")
    assert orjson.loads(error_body(crash, "req-2"))["error"]["type"] == "server_error"
    unauthorized = MoonshotError("invalid_authentication_error", "Invalid Authentication")
    assert error_body(unauthorized, "req-3") == \
        b'{"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}'


def test_a_stop_sequence_ends_the_turn_and_is_named() -> None:
    full = message_body(planned(), SIGNER.sign)["content"][-1]["text"]
    word = full.split()[3]
    message = message_body(planned(stop_sequences=["zzz", word]), SIGNER.sign)
    assert (message["stop_reason"], message["stop_sequence"]) == ("end_turn", word)
    assert word not in message["content"][-1]["text"]
    assert message_body(planned(stop_sequences=["zzz"]), SIGNER.sign)["stop_sequence"] is None


def test_a_tool_input_cut_short_is_an_empty_object_in_both_forms() -> None:
    call = ToolCall("functions.get_weather:0", "function", "get_weather", ('{"ci', 'ty":"Pa'))
    plan = ChatPlan("msg_1", 0, "kimi-k3", "fp", 9, (ChoicePlan(0, (), (), (call,), "length"),))
    assert message_body(plan, SIGNER.sign)["content"][0]["input"] == {}
    assert accumulated(plan).content[0].input == {}
