"""The Responses door in-process: the API date it exists from, its frames on the wire, its
errors in the envelope, and one conversation costing what it costs through chat."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from mock_server.config import Settings
from tests.conftest import API_KEY, make_client

RESPONSES = "/v1/responses"
BODY = {"model": "kimi-k3", "instructions": "Be brief.", "input": "Explain caching."}


def test_the_door_exists_from_2026_09() -> None:
    before = make_client(Settings(seed=1, clock="virtual"), api_date="2026-08-31")
    answer = before.post(RESPONSES, json=BODY)
    assert answer.status_code == 404 and answer.json()["error"] == "url.not_found"
    after = make_client(Settings(seed=1, clock="virtual"), api_date="2026-09-01")
    assert after.post(RESPONSES, json=BODY).status_code == 200


def test_frames_on_the_wire() -> None:
    client = make_client(Settings(seed=1, clock="virtual"), api_date="2026-09-03")
    answer = client.post(RESPONSES, json={**BODY, "stream": True})
    assert answer.headers["content-type"].startswith("text/event-stream")
    frames = answer.text.split("\n\n")
    assert frames[-1] == ""
    first = frames[0].split("\n")
    assert first[0] == "event: response.created"
    assert first[1].startswith('data: {"type":"response.created","sequence_number":0,"response":')
    last = json.loads(frames[-2].split("\n")[1].removeprefix("data: "))
    assert last["type"] == "response.completed"
    assert last["sequence_number"] == len(frames) - 2
    plain = client.post(RESPONSES, json=BODY).json()
    assert [item["type"] for item in last["response"]["output"]] == \
        [item["type"] for item in plain["output"]]


def test_errors_are_the_envelope() -> None:
    client = make_client(Settings(seed=1))
    client.headers["Authorization"] = "Bearer nope"
    assert client.post(RESPONSES, json=BODY).json() == {
        "error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}}
    client.headers["Authorization"] = f"Bearer {API_KEY}"
    refused = client.post(RESPONSES, json={"model": "kimi-k3"})
    assert refused.status_code == 400
    assert refused.json() == {"error": {"message": "Invalid request: input is required",
                                        "type": "invalid_request_error"}}


def balance(client: TestClient) -> float:
    return float(client.get("/v1/users/me/balance").json()["data"]["available_balance"])


def test_one_conversation_costs_what_it_costs_through_chat() -> None:
    through_responses, through_chat = (make_client(Settings(seed=1, clock="virtual"))
                                       for _ in range(2))
    start = balance(through_chat)
    answer = through_responses.post(RESPONSES, json=BODY).json()
    chat = through_chat.post("/v1/chat/completions", json={"model": "kimi-k3", "messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Explain caching."}]}).json()
    usage = answer["usage"]
    assert usage["input_tokens"] == chat["usage"]["prompt_tokens"]
    assert usage["output_tokens"] == chat["usage"]["completion_tokens"]
    assert [item["type"] for item in answer["output"]] == ["reasoning", "message"]
    assert answer["output"][0]["summary"][0]["text"] == chat["choices"][0]["message"]["reasoning_content"]
    assert answer["output"][1]["content"][0]["text"] == chat["choices"][0]["message"]["content"]
    assert balance(through_responses) == balance(through_chat) < start
    entry = next(e for e in through_responses.get("/_mock/journal").json()["data"]
                 if e["path"] == RESPONSES)
    assert (entry["path"], entry["door"], entry["usage"]["total_tokens"]) == \
        (RESPONSES, "responses", usage["total_tokens"])
