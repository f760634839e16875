"""The Messages door in front of the one engine: the same accounts, counts, money, limits,
journal, faults and API date as chat completions, in this door's own framing and envelope."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from moonshot_mock_contracts.named_stream import named_stream_problems
from moonshot_mock_contracts.spec import load_spec, response_media, stream_schemas

CHAT = "/v1/chat/completions"
MESSAGES = "/anthropic/v1/messages"
KEY = "sk-acme-1"
SYSTEM = "You are a terse assistant."
QUESTION = "Name three rivers in Europe."
DOC = load_spec()
SCHEMAS = stream_schemas(DOC, response_media(DOC["paths"][MESSAGES]["post"], 200, "text/event-stream"))


def make(**settings: Any) -> TestClient:
    account = AccountConfig(name="acme", keys=(KEY,), cash_balance=5.0)
    options: dict[str, Any] = {"seed": 9, "clock": "virtual", "accounts": (account,), **settings}
    client = TestClient(create_app(Settings(**options)), raise_server_exceptions=False)
    client.headers["x-api-key"] = KEY
    return client


def anthropic_body(**extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k2.6", "max_tokens": 2048, "system": SYSTEM,
            "messages": [{"role": "user", "content": QUESTION}], **extra}


def chat_body(**extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k2.6", "max_tokens": 2048,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": QUESTION}],
            **extra}


def balance(client: TestClient) -> float:
    return float(client.get("/v1/users/me/balance", headers={"Authorization": f"Bearer {KEY}"})
                 .json()["data"]["available_balance"])


def test_the_same_conversation_costs_the_same_tokens_and_money_through_either_door() -> None:
    chat_client, messages_client = make(), make()
    chat = chat_client.post(CHAT, json=chat_body(), headers={"Authorization": f"Bearer {KEY}"}).json()
    message = messages_client.post(MESSAGES, json=anthropic_body()).json()
    usage = message["usage"]
    assert usage["input_tokens"] + usage["cache_read_input_tokens"] == chat["usage"]["prompt_tokens"]
    assert usage["output_tokens"] == chat["usage"]["completion_tokens"]
    choice = chat["choices"][0]["message"]
    assert [b.get("thinking", b.get("text")) for b in message["content"]] == \
        [choice["reasoning_content"], choice["content"]]
    assert balance(messages_client) == balance(chat_client) < 5.0


def test_the_journal_names_the_door() -> None:
    client = make()
    client.post(MESSAGES, json=anthropic_body())
    client.post(CHAT, json=chat_body(), headers={"Authorization": f"Bearer {KEY}"})
    client.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"})
    entries = client.get("/_mock/journal").json()["data"]
    assert [(e["path"], e["door"]) for e in entries] == [
        (MESSAGES, "messages"), (CHAT, "chat"), ("/v1/models", None)]
    assert entries[0]["usage"]["prompt_tokens"] > 0 and entries[0]["body"]["max_tokens"] == 2048


def test_a_stream_keeps_the_documented_framing_and_ends_as_the_answer() -> None:
    client = make()
    whole = client.post(MESSAGES, json=anthropic_body()).json()
    streamed = client.post(MESSAGES, json=anthropic_body(stream=True))
    assert streamed.headers["content-type"].startswith("text/event-stream")
    assert SCHEMAS is not None and named_stream_problems(streamed.content, SCHEMAS) == []
    frames = [orjson.loads(f.split(b"\n")[1][6:]) for f in streamed.content.split(b"\n\n")[:-1]]
    text = "".join(f["delta"].get("text", "") for f in frames if f["type"] == "content_block_delta")
    assert text == whole["content"][-1]["text"]
    assert frames[-2]["usage"] == whole["usage"]


@pytest.mark.parametrize(("fault", "last"), [("no_done", b"message_delta"),
                                              ("duplicate=1", b"message_stop")])
def test_stream_faults_act_in_this_door_s_framing(fault: str, last: bytes) -> None:
    """`no_done` ends cleanly without the final event (`message_stop`); `duplicate` repeats a
    whole frame. (Two apps of one seed: the same ids and no context-cache hit.)"""
    clean = make().post(MESSAGES, json=anthropic_body(stream=True)).content.split(b"\n\n")[:-1]
    faulted = make().post(MESSAGES, json=anthropic_body(stream=True),
                          headers={"X-Mock-Fault": fault}).content.split(b"\n\n")[:-1]
    assert faulted[-1].startswith(b"event: " + last + b"\n")
    if fault == "no_done":
        assert faulted == clean[:-1]
    else:
        assert faulted == [clean[0], *clean]


def test_limits_refuse_in_this_door_s_envelope() -> None:
    client = make(limits={"rpm": 1})
    assert client.post(MESSAGES, json=anthropic_body()).status_code == 200
    refused = client.post(MESSAGES, json=anthropic_body())
    assert refused.status_code == 429
    body = refused.json()
    assert body["type"] == "error" and body["request_id"] == refused.headers["msh-request-id"]
    assert body["error"]["type"] == "rate_limit_reached_error"
    assert "request reached organization max RPM: 1" in body["error"]["message"]


def test_a_crash_is_500_in_this_door_s_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    from mock_server.doors import messages

    def broken(*_: Any) -> Any:
        raise RuntimeError("boom")

    client = make()
    monkeypatch.setattr(messages, "message_body", broken)
    response = client.post(MESSAGES, json=anthropic_body())
    assert response.status_code == 500
    assert response.json() == {"type": "error", "error": {
        "type": "server_error", "message": "Internal server error, please try again later"},
        "request_id": response.headers["msh-request-id"]}


def test_the_door_exists_from_its_first_documented_day() -> None:
    body = anthropic_body(model="kimi-k2-0711-preview")
    before = make(api_date="2025-07-10").post(MESSAGES, json=body)
    assert before.status_code == 404 and before.json()["error"] == "url.not_found"
    assert make(api_date="2025-07-11").post(MESSAGES, json=body).status_code == 200


@pytest.mark.parametrize("headers", [{"x-api-key": KEY}, {"Authorization": f"Bearer {KEY}"}])
def test_either_key_header(headers: dict[str, str]) -> None:
    client = TestClient(create_app(Settings(seed=9, clock="virtual",
                                            accounts=(AccountConfig(name="acme", keys=(KEY,)),))),
                        raise_server_exceptions=False)
    assert client.post(MESSAGES, json=anthropic_body(), headers=headers).status_code == 200
    refused = client.post(MESSAGES, json=anthropic_body(), headers={"x-api-key": "sk-other"})
    assert refused.status_code == 401
    assert refused.json() == {"error": {"message": "Invalid Authentication",
                                        "type": "invalid_authentication_error"}}


def test_an_unknown_model_and_a_header_bound_are_named_in_this_door_s_envelope() -> None:
    client = make()
    missing = client.post(MESSAGES, json=anthropic_body(model="kimi-k9"))
    assert (missing.status_code, missing.json()["error"]) == (404, {
        "type": "resource_not_found_error", "message": "Not found the model kimi-k9 or Permission denied"})
    bad_json = client.post(MESSAGES, content=b"{", headers={"content-type": "application/json"})
    assert bad_json.status_code == 400 and bad_json.json()["type"] == "error"
    assert bad_json.json()["error"]["message"].startswith(
        "Invalid request: the request body is not valid JSON")


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_an_image_costs_what_it_costs_in_chat() -> None:
    chat_image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}}
    block = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}
    text = {"type": "text", "text": "Describe it."}
    chat = make().post(CHAT, headers={"Authorization": f"Bearer {KEY}"}, json=chat_body(
        messages=[{"role": "system", "content": SYSTEM},
                  {"role": "user", "content": [chat_image, text]}])).json()
    message = make().post(MESSAGES, json=anthropic_body(
        messages=[{"role": "user", "content": [block, text]}])).json()
    assert message["usage"]["input_tokens"] == chat["usage"]["prompt_tokens"] > 1024


def test_an_uploaded_image_is_referenced_by_its_file_id() -> None:
    client = make()
    headers = {"Authorization": f"Bearer {KEY}"}
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
    image = client.post("/v1/files", files={"file": ("cat.png", png)}, data={"purpose": "image"},
                        headers=headers).json()["id"]
    notes = client.post("/v1/files", files={"file": ("notes.txt", b"notes")},
                        data={"purpose": "file-extract"}, headers=headers).json()["id"]

    def ask(file_id: str) -> Any:
        block = {"type": "image", "source": {"type": "url", "url": f"ms://{file_id}"}}
        return client.post(MESSAGES, json=anthropic_body(messages=[{"role": "user", "content": [
            block, {"type": "text", "text": "What is this?"}]}]))

    assert ask(image).status_code == 200
    refused = ask(notes)
    assert refused.status_code == 400 and refused.json()["error"]["message"].startswith(
        f"Invalid request: file {notes} was uploaded with purpose 'file-extract'")
    missing = ask("cnhgqnucp7f5h7jfb3s0")
    assert missing.status_code == 404 and missing.json()["type"] == "error"


def test_a_last_assistant_turn_is_continued() -> None:
    response = make().post(MESSAGES, json=anthropic_body(messages=[
        {"role": "user", "content": "Count to five."},
        {"role": "assistant", "content": "One, two,"}]))
    assert response.status_code == 200
    assert response.json()["stop_reason"] == "end_turn"
