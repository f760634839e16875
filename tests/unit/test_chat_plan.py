"""The chat plan: deterministic, and JSON and stream render the same answer."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.chat.plan import Replies, chunk_bodies, completion_body, plan_chat
from mock_server.chat.rules import check_chat_request
from mock_server.data.catalogue import load_catalogue

CATALOGUE = load_catalogue()
REPLIES = Replies(seed=1, reply_tokens=(16, 64), id="chatcmpl-00000000aaaaaaaaaaaaaaaa",
                  created=0, system_fingerprint="fpv0_00000000")


def plan(body: dict[str, Any], replies: Replies = REPLIES):
    model, prompt_tokens = check_chat_request(body, CATALOGUE)
    return plan_chat(body, model, prompt_tokens, replies)


def user(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def streamed_content(chunks: list[dict[str, Any]], index: int = 0) -> str:
    return "".join(c["choices"][0]["delta"].get("content", "") for c in chunks
                   if c["choices"] and c["choices"][0]["index"] == index)


def test_same_seed_and_request_give_the_same_answer() -> None:
    body = {"model": "moonshot-v1-8k", "messages": user("Tell me a story")}
    assert completion_body(plan(body)) == completion_body(plan(body))
    other = Replies(**{**REPLIES.__dict__, "seed": 2})
    assert completion_body(plan(body, other)) != completion_body(plan(body))


def test_stream_deltas_equal_the_non_stream_content() -> None:
    body = {"model": "moonshot-v1-8k", "messages": user("Tell me a story"), "n": 2,
            "temperature": 0.7}
    p = plan(body)
    chunks = list(chunk_bodies(p))
    completion = completion_body(p)
    for choice in completion["choices"]:
        assert streamed_content(chunks, choice["index"]) == choice["message"]["content"]


def test_chinese_prompt_gets_a_chinese_reply() -> None:
    content = completion_body(plan({"model": "moonshot-v1-8k", "messages": user("你好")}))
    text = content["choices"][0]["message"]["content"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_max_tokens_cuts_with_finish_reason_length() -> None:
    body = {"model": "moonshot-v1-8k", "messages": user("Tell me a story"), "max_tokens": 5}
    completion = completion_body(plan(body))
    assert completion["choices"][0]["finish_reason"] == "length"
    assert completion["usage"]["completion_tokens"] == 5


def test_stop_sequence_cuts_before_it() -> None:
    body = {"model": "moonshot-v1-8k", "messages": user("Tell me a story")}
    text = completion_body(plan(body))["choices"][0]["message"]["content"]
    stop = text.split()[3]
    cut = completion_body(plan({**body, "stop": [stop]}))["choices"][0]
    assert cut["finish_reason"] == "stop"
    assert stop not in cut["message"]["content"]
    assert text.startswith(cut["message"]["content"])


def test_usage_arithmetic_and_prompt_tokens() -> None:
    body = {"model": "moonshot-v1-8k", "messages": user("hi"), "n": 3, "temperature": 0.5}
    p = plan(body)
    usage = completion_body(p)["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert usage["completion_tokens"] == sum(c.completion_tokens for c in p.choices)


def test_stream_shape_role_first_usage_in_final_choice() -> None:
    chunks = list(chunk_bodies(plan({"model": "moonshot-v1-8k", "messages": user("hi")})))
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all("role" not in c["choices"][0]["delta"] for c in chunks[1:])
    assert len({(c["id"], c["created"]) for c in chunks}) == 1
    final = chunks[-1]["choices"][0]
    assert final["finish_reason"] == "stop" and final["delta"] == {}
    assert set(final["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert [c["choices"][0]["finish_reason"] for c in chunks].count("stop") == 1


def test_include_usage_adds_a_usage_chunk_with_no_choices() -> None:
    chunks = list(chunk_bodies(plan({"model": "moonshot-v1-8k", "messages": user("hi")}), True))
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == chunks[-2]["choices"][0]["usage"]


TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]


@pytest.mark.parametrize(("model", "call_id"), [("moonshot-v1-8k", "get_weather:0"),
                                                ("kimi-k2-0905-preview", "functions.get_weather:0")])
def test_tool_call_ids_follow_the_model_family(model: str, call_id: str) -> None:
    completion = completion_body(plan({"model": model, "messages": user("weather?"),
                                       "tools": TOOLS}))
    choice = completion["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    assert choice["message"]["content"] == ""
    call = choice["message"]["tool_calls"][0]
    assert call["id"] == call_id and call["function"]["name"] == "get_weather"
    assert '"city"' in call["function"]["arguments"]


def test_tool_answer_gets_text_after_a_tool_message() -> None:
    messages = [*user("weather?"), {"role": "assistant", "content": "", "tool_calls": [
        {"id": "get_weather:0", "type": "function",
         "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "get_weather:0", "content": "sunny"}]
    completion = completion_body(plan({"model": "moonshot-v1-8k", "messages": messages,
                                       "tools": TOOLS}))
    assert completion["choices"][0]["finish_reason"] == "stop"


def test_streamed_tool_call_arguments_concatenate() -> None:
    p = plan({"model": "kimi-k2-0905-preview", "messages": user("weather?"), "tools": TOOLS})
    arguments = "".join(c["choices"][0]["delta"].get("tool_calls", [{}])[0]
                        .get("function", {}).get("arguments", "") for c in chunk_bodies(p))
    expected = completion_body(p)["choices"][0]["message"]["tool_calls"][0]["function"]
    assert arguments == expected["arguments"]


def test_json_mode_returns_a_json_object() -> None:
    import json

    completion = completion_body(plan({"model": "moonshot-v1-8k", "messages": user("data"),
                                       "response_format": {"type": "json_object"}}))
    assert isinstance(json.loads(completion["choices"][0]["message"]["content"]), dict)


def test_thinking_models_send_reasoning_content() -> None:
    completion = completion_body(plan({"model": "kimi-k2-thinking", "messages": user("why?")}))
    assert completion["choices"][0]["message"]["reasoning_content"]
    disabled = completion_body(plan({"model": "kimi-k2.5", "messages": user("why?"),
                                     "thinking": {"type": "disabled"}}))
    assert "reasoning_content" not in disabled["choices"][0]["message"]


def test_partial_mode_continues_without_repeating_the_prefix() -> None:
    prefix = "Once upon a time"
    messages = [*user("Tell me a story"),
                {"role": "assistant", "content": prefix, "partial": True}]
    completion = completion_body(plan({"model": "moonshot-v1-8k", "messages": messages}))
    content = completion["choices"][0]["message"]["content"]
    assert content and not content.startswith(prefix)
    assert completion["choices"][0]["finish_reason"] == "stop"
