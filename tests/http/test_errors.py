"""Every error the foundation answers: status, type and exact message, always in the envelope."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import CANONICAL_MESSAGES

CHAT = "/v1/chat/completions"


def hi(**extra: Any) -> dict[str, Any]:
    return {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}], **extra}


def assert_error(response: Any, status: int, type_: str, message: str) -> None:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": {"message": message, "type": type_}}


def test_missing_key_is_401_with_the_real_body(client: TestClient) -> None:
    response = client.post(CHAT, json=hi(), headers={"Authorization": ""})
    assert response.status_code == 401
    assert response.content == (
        b'{"error":{"message":"Invalid Authentication","type":"invalid_authentication_error"}}'
    )


@pytest.mark.parametrize("header", ["sk-nobearer", "Bearer", "Basic sk-abc", "Bearer not-sk-key"])
def test_malformed_authorization_is_401(client: TestClient, header: str) -> None:
    response = client.get("/v1/models", headers={"Authorization": header})
    assert_error(response, 401, "invalid_authentication_error", "Invalid Authentication")


def test_unknown_path_gets_the_gateway_not_found_body(client: TestClient) -> None:
    response = client.get("/v1", headers={"User-Agent": "probe/1.0"})
    assert response.status_code == 404
    assert response.json() == {"code": 5, "error": "url.not_found", "message": "没找到对象",
                               "method": "GET", "scode": "0x5", "status": False,
                               "ua": "probe/1.0"}


def test_wrong_method_is_405_with_allow(client: TestClient) -> None:
    response = client.delete("/v1/models")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json()["error"]["type"] == "invalid_request_error"


def test_malformed_json_is_400(client: TestClient) -> None:
    response = client.post(CHAT, content=b'{"model": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("Invalid request: the request body is not valid JSON")


def test_wrong_content_type_is_400(client: TestClient) -> None:
    response = client.post(CHAT, content=b"model=x", headers={"Content-Type": "text/plain"})
    assert_error(response, 400, "invalid_request_error",
                 "Invalid request: Content-Type must be application/json, got 'text/plain'")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"model": "moonshot-v1-8k"}, "Invalid request: messages is required"),
        (hi(temperature=3), "Invalid request: temperature must be less than or equal to 1"),
        (hi(n=9), "Invalid request: n must be less than or equal to 5"),
        ({"model": "moonshot-v1-8k", "messages": [{"role": "robot", "content": "x"}]},
         "Invalid request: messages[0].role must be one of system, user, assistant, tool, cache"),
        ([1, 2], "Invalid request: body must be an object"),
        ({**hi(), "tools": [{"type": "function", "function": {"name": "x y"}}]},
         "Invalid request: tools[0].function.name must match pattern "
         "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"),
        ({"model": "moonshot-v1-8k", "messages": [
            {"role": "user", "content": "x"}, {"role": "user", "content": [{"type": "text", "text": 5}]}]},
         "Invalid request: messages[1].content[0].text must be a string"),
        (hi(stop=7), "Invalid request: stop must be a string, an array of strings or null"),
    ],
)
def test_schema_violations_name_the_field(client: TestClient, body: Any, message: str) -> None:
    assert_error(client.post(CHAT, json=body), 400, "invalid_request_error", message)


def test_unknown_model_is_404(client: TestClient) -> None:
    response = client.post(CHAT, json={**hi(), "model": "gpt-4o"})
    assert_error(response, 404, "resource_not_found_error",
                 "Not found the model gpt-4o or Permission denied")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({**hi(), "model": "kimi-k2.6", "temperature": 0.3},
         "invalid temperature: only 1 is allowed for this model"),
        ({**hi(), "model": "kimi-k2.6", "temperature": 1.0, "thinking": {"type": "disabled"}},
         "invalid temperature: only 0.6 is allowed for this model"),
        ({**hi(), "model": "kimi-k2.5", "top_p": 0.5},
         "invalid top_p: only 0.95 is allowed for this model"),
    ],
)
def test_fixed_parameters_of_newer_models(client: TestClient, body: Any, message: str) -> None:
    assert_error(client.post(CHAT, json=body), 400, "invalid_request_error", message)


def test_n_above_one_needs_temperature(client: TestClient) -> None:
    response = client.post(CHAT, json=hi(n=2))
    assert_error(response, 400, "invalid_request_error",
                 "Invalid request: n must be 1 when temperature is below 0.3 (got n=2)")
    assert client.post(CHAT, json=hi(n=2, temperature=0.3)).status_code == 200


def test_stop_strings_limited(client: TestClient) -> None:
    assert client.post(CHAT, json=hi(stop=["a"] * 6)).status_code == 400
    response = client.post(CHAT, json=hi(stop=["停" * 11]))  # 33 bytes
    assert_error(response, 400, "invalid_request_error",
                 "Invalid request: each stop string must be at most 32 bytes")
    assert client.post(CHAT, json=hi(stop=["x" * 32] * 5)).status_code == 200


@pytest.mark.parametrize("content", ["", None, []])
def test_empty_content_rejected_with_position_and_role(client: TestClient, content: Any) -> None:
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hi"},
                {"role": "assistant", "content": content}, {"role": "user", "content": "again"}]
    response = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": messages})
    assert_error(response, 400, "invalid_request_error",
                 "Invalid request: the message at position 2 with role 'assistant' must not be empty")


def test_prompt_plus_default_max_tokens_over_context(client: TestClient) -> None:
    long_text = "word " * 7500  # about 7,300 tokens: under 8k alone, over with 1,024 more
    body = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": long_text}]}
    assert_error(client.post(CHAT, json=body), 400, "invalid_request_error",
                 "Invalid request: Your request exceeded model token limit: 8192")
    assert client.post(CHAT, json={**body, "max_tokens": 100}).status_code == 200
    assert client.post(CHAT, json={**body, "model": "moonshot-v1-32k"}).status_code == 200


def test_context_message_reports_requested_tokens_on_newer_models(client: TestClient) -> None:
    body = {"model": "kimi-k2.5", "messages": CANONICAL_MESSAGES, "max_tokens": 262_144}
    response = client.post(CHAT, json=body)
    prompt = client.post("/v1/tokenizers/estimate-token-count",
                         json={"model": "kimi-k2.5", "messages": CANONICAL_MESSAGES})
    # prompt_tokens: the estimate and the generation prompt, <think> included (thinking is on)
    requested = prompt.json()["data"]["total_tokens"] + 4 + 262_144
    assert_error(response, 400, "invalid_request_error",
                 f"Invalid request: Your request exceeded model token limit: 262144 "
                 f"(requested: {requested})")


def test_thinking_model_needs_reasoning_content_on_tool_call_history(client: TestClient) -> None:
    messages = [{"role": "user", "content": "weather?"},
                {"role": "assistant", "content": "", "tool_calls": [
                    {"id": "functions.w:0", "type": "function",
                     "function": {"name": "w", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "functions.w:0", "content": "sunny"}]
    response = client.post(CHAT, json={"model": "kimi-k2.5", "messages": messages})
    assert_error(response, 400, "invalid_request_error",
                 "thinking is enabled but reasoning_content is missing in assistant tool call "
                 "message at index 1")


def test_tool_message_must_answer_a_call(client: TestClient) -> None:
    messages = [{"role": "user", "content": "hi"},
                {"role": "tool", "tool_call_id": "nope:0", "content": "x"}]
    response = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": messages})
    assert_error(response, 400, "invalid_request_error",
                 "Invalid request: tool_call_id nope:0 is not found")


def test_a_crash_is_500_server_error_in_the_envelope(client: TestClient, monkeypatch) -> None:
    from mock_server.engine import plan

    def explode(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(plan, "plan_chat", explode)
    response = client.post(CHAT, json=hi())
    assert_error(response, 500, "server_error", "Internal server error, please try again later")
    assert "boom" not in response.text
