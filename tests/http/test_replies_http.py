"""Scripted replies through the app: every source, and a stub goes through what a generated
answer does (stream split, usage, max_tokens, stop, billing, limits, faults, journal)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.chat.tokens import DEFAULT_COUNTER
from mock_server.config import AccountConfig, ConfigError, Settings, load_settings, settings_from_mapping
from tests.conftest import AUTH

CHAT = "/v1/chat/completions"
count_text = DEFAULT_COUNTER.text
POEM = "Roses are red, violets are blue; the fake answers exactly what you ask it to."


def chat(text: str = "hello", model: str = "moonshot-v1-8k", **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": text}], **extra}


def make(**changes: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=3, clock="virtual", **changes)),
                        raise_server_exceptions=False)
    client.headers.update(AUTH)
    return client


def stream_chunks(text: str) -> list[dict[str, Any]]:
    assert text.endswith("data: [DONE]\n\n")
    return [orjson.loads(line[6:]) for line in text.splitlines()
            if line.startswith("data: {")]


def test_control_plane_stub_answers_non_stream_with_counted_usage() -> None:
    client = make()
    created = client.post("/_mock/replies", json={"match": {"last_user": "poem"},
                                                   "reply": {"content": POEM}})
    assert created.status_code == 201 and created.json()["id"] == "reply-1"
    answer = client.post(CHAT, json=chat("write a poem")).json()
    assert answer["choices"][0] == {"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": POEM}}
    assert answer["usage"]["completion_tokens"] == count_text(POEM)
    other = client.post(CHAT, json=chat("hi")).json()  # not stubbed: the generated default
    assert other["choices"][0]["message"]["content"] != POEM
    listed = client.get("/_mock/replies").json()["data"]
    assert [(r["id"], r["used"], r["match"]) for r in listed] == [
        ("reply-1", 1, {"last_user": "poem"})]
    assert client.get("/_mock/replies/used").json()["data"] == [
        {"id": "reply-1", "source": "control", "used": 1}]


def test_stub_streams_in_pieces_that_join_to_the_same_answer() -> None:
    client = make()
    client.post("/_mock/replies", json={"reply": {"content": POEM, "reasoning_content": "Hmm."}})
    plain = client.post(CHAT, json=chat()).json()
    streamed = stream_chunks(client.post(CHAT, json=chat(stream=True)).text)
    deltas = [c["choices"][0]["delta"] for c in streamed]
    text = "".join(d.get("content", "") for d in deltas)
    assert text == POEM == plain["choices"][0]["message"]["content"]
    assert "".join(d.get("reasoning_content", "") for d in deltas) == "Hmm."
    assert sum(1 for d in deltas if d.get("content")) == count_text(POEM) > 5
    assert streamed[-1]["choices"][0]["finish_reason"] == "stop"
    assert streamed[-1]["choices"][0]["usage"] == plain["usage"]


def test_stub_tool_calls_get_the_family_id_format_and_stream_their_arguments() -> None:
    client = make()
    call = {"name": "get_weather", "arguments": {"city": "Paris"}}
    client.post("/_mock/replies", json={"reply": {"tool_calls": [call]}})
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {}}}]
    k2 = client.post(CHAT, json=chat(model="kimi-k2.6", tools=tools, thinking={
        "type": "disabled"})).json()["choices"][0]
    assert k2["finish_reason"] == "tool_calls"
    assert k2["message"]["tool_calls"] == [{"id": "functions.get_weather:0", "type": "function",
                                            "function": {"name": "get_weather",
                                                         "arguments": '{"city":"Paris"}'}}]
    v1 = client.post(CHAT, json=chat(model="moonshot-v1-8k", tools=tools)).json()["choices"][0]
    assert v1["message"]["tool_calls"][0]["id"] == "get_weather:0"
    chunks = stream_chunks(client.post(CHAT, json=chat(tools=tools, stream=True)).text)
    fragments = [c["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"]
                 for c in chunks if c["choices"][0]["delta"].get("tool_calls")]
    assert "".join(fragments) == '{"city":"Paris"}' and len(fragments) > 2


def test_stub_is_truncated_by_max_tokens_and_cut_by_stop() -> None:
    client = make()
    client.post("/_mock/replies", json={"reply": POEM})
    short = client.post(CHAT, json=chat(max_tokens=3)).json()
    assert short["choices"][0]["finish_reason"] == "length"
    assert short["usage"]["completion_tokens"] == 3
    assert POEM.startswith(short["choices"][0]["message"]["content"])
    stopped = client.post(CHAT, json=chat(stop=["violets"])).json()
    assert stopped["choices"][0]["message"]["content"] == "Roses are red, "
    assert stopped["choices"][0]["finish_reason"] == "stop"


def test_usage_override_and_finish_reason_are_sent_and_billed() -> None:
    account = AccountConfig(name="acme", keys=("sk-acme-1",), cash_balance=1.0)
    client = make(accounts=(account,))
    client.headers["Authorization"] = "Bearer sk-acme-1"
    client.post("/_mock/replies", json={"reply": {
        "content": "ok", "finish_reason": "content_filter",
        "usage": {"prompt_tokens": 1000, "completion_tokens": 2000}}})
    answer = client.post(CHAT, json=chat()).json()
    assert answer["usage"] == {"prompt_tokens": 1000, "completion_tokens": 2000,
                               "total_tokens": 3000}
    assert answer["choices"][0]["finish_reason"] == "content_filter"
    spent = (1000 * Decimal("0.20") + 2000 * Decimal("2.00")) / 1_000_000  # moonshot-v1-8k
    cash = client.get("/v1/users/me/balance").json()["data"]["cash_balance"]
    assert cash == float(round(Decimal(1) - spent, 5))


def test_stubs_are_admitted_like_any_request() -> None:
    client = make(limits={"rpm": 2})
    client.post("/_mock/replies", json={"reply": "stubbed"})
    assert [client.post(CHAT, json=chat()).status_code for _ in range(3)] == [200, 200, 429]


def test_an_error_reply_is_a_fault_and_then_answers_in_order() -> None:
    client = make()
    client.post("/_mock/replies", json={"id": "flaky", "then": [
        "first", "second", {"error": "error=rate_limit_rpm"}, "after"]})
    got = [client.post(CHAT, json=chat()) for _ in range(4)]
    assert [r.status_code for r in got] == [200, 200, 429, 200]
    assert got[2].json()["error"]["type"] == "rate_limit_reached_error"
    assert got[3].json()["choices"][0]["message"]["content"] == "after"
    journal = client.get("/_mock/journal", params={"path": CHAT}).json()["data"]
    assert [(e["reply"], e["fault"], e["fault_source"]) for e in journal] == [
        ("flaky", None, None), ("flaky", None, None),
        ("flaky", "error=rate_limit_rpm", "reply:flaky"), ("flaky", None, None)]


def test_a_stream_fault_reply_cuts_the_stub_stream() -> None:
    client = make()
    client.post("/_mock/replies", json={"reply": {"error": "cut_after=2"}})
    text = client.post(CHAT, json=chat(stream=True)).text
    assert "[DONE]" not in text


def test_fault_rules_still_act_on_stubbed_requests() -> None:
    client = make()
    client.post("/_mock/replies", json={"reply": "stubbed"})
    client.post("/_mock/faults", json={"fault": "500", "times": 1})
    assert [client.post(CHAT, json=chat()).status_code for _ in range(2)] == [500, 200]


def test_session_scoped_rules_and_the_journal_names_the_rule() -> None:
    client = make()
    client.post("/_mock/replies", json={"id": "for-a", "reply": "A"},
                headers={"X-Mock-Session": "a"})
    client.post("/_mock/replies", json={"id": "for-all", "reply": "everyone"})

    def said(session: str | None) -> str:
        headers = {"X-Mock-Session": session} if session else {}
        answer = client.post(CHAT, json=chat(), headers=headers).json()
        return str(answer["choices"][0]["message"]["content"])

    assert [said("a"), said("b"), said(None)] == ["A", "everyone", "everyone"]
    journal = client.get("/_mock/journal", params={"path": CHAT}).json()["data"]
    assert [e["reply"] for e in journal] == ["for-a", "for-all", "for-all"]
    assert client.delete("/_mock/replies/for-a").json() == {"deleted": True, "id": "for-a"}
    assert client.delete("/_mock/replies/for-a").status_code == 404
    assert said("a") == "everyone"
    client.delete("/_mock/replies")
    assert client.get("/_mock/replies").json()["data"] == []


def test_a_bad_rule_is_a_400_naming_the_field() -> None:
    response = make().post("/_mock/replies", json={"match": {"lastuser": "x"}, "reply": "a"})
    assert response.status_code == 400
    assert response.json() == {"error": {"type": "invalid_request_error", "message":
        "Invalid request: reply rule: reply rule 'match' has unknown fields ['lastuser']; "
        f"known: {list(__import__('mock_server.replies.rules', fromlist=['x']).MATCH_KEYS)}"}}


def test_config_rules_and_reply_files_answer(tmp_path: Path) -> None:
    replies = tmp_path / "replies"
    replies.mkdir()
    (replies / "greetings.yaml").write_text(
        "- id: hello\n  match: {last_user: hello}\n  reply: Hello from a file\n")
    config = tmp_path / "mock.yaml"
    config.write_text("replies:\n  reply_rules:\n    - match: {last_user: config}\n"
                      f"      reply: From the config\n  reply_files_dir: {replies}\n")
    settings = dataclasses.replace(load_settings(config_file=config, env={}), seed=1)
    client = TestClient(create_app(settings))
    client.headers.update(AUTH)
    assert client.post(CHAT, json=chat("config please")).json()["choices"][0]["message"][
        "content"] == "From the config"
    assert client.post(CHAT, json=chat("hello")).json()["choices"][0]["message"][
        "content"] == "Hello from a file"
    assert [r["id"] for r in client.get("/_mock/replies").json()["data"]] == ["config-1", "hello"]


def test_bad_replies_settings_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="setting reply_rules: rule 1: reply 1 'error'"):
        settings_from_mapping({"reply_rules": [{"reply": {"error": "error=nope"}}]})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings({"reply_files_dir": str(tmp_path / "missing")}, env={})


def test_one_replies_directory_holds_recordings_and_rules(tmp_path: Path) -> None:
    """`--reply-files-dir DIR`: a recorded exchange answers as recorded, a rule file through the rules."""
    replies = tmp_path / "replies"
    replies.mkdir()
    recorded = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "recorded"}]}
    (replies / "0001-post-v1-chat-completions.json").write_bytes(orjson.dumps({
        "version": 1, "match": {"method": "POST", "path": CHAT, "body": recorded},
        "reply": {"status": 200, "headers": {"content-type": "application/json"},
                  "body": {"id": "chatcmpl-recorded", "choices": []}}}))
    (replies / "rules.yaml").write_text("- id: ruled\n  match: {last_user: ruled}\n  reply: From a rule\n")
    client = TestClient(create_app(load_settings({"reply_files_dir": str(replies)}, env={})))
    client.headers.update(AUTH)
    assert client.post(CHAT, json=recorded).json() == {"id": "chatcmpl-recorded", "choices": []}
    assert client.post(CHAT, json=chat("ruled")).json()["choices"][0]["message"][
        "content"] == "From a rule"
    assert [r["id"] for r in client.get("/_mock/replies").json()["data"]] == ["ruled"]


def test_a_broken_reply_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- match: {last_user: x}\n")
    with pytest.raises(ConfigError, match=r"setting reply_files_dir: reply file bad\.yaml: rule 1"):
        load_settings({"reply_files_dir": str(tmp_path)}, env={})
