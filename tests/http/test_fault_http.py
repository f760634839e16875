"""Faults through HTTP in-process: exact bodies, strict header decoding, scenarios, journal."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.accounts.auth import key_id
from mock_server.app import create_app
from mock_server.config import Settings, settings_from_mapping
from mock_server.faults.dsl import FaultSyntaxError, parse_fault
from mock_server.faults.presets import NAMED_ERRORS
from mock_server.http.transport import GATEWAY_TIMEOUT_HTML
from tests.conftest import API_KEY, AUTH

CHAT = "/v1/chat/completions"
HI = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fault_client(settings: Settings, sleeps: list[float]) -> Iterator[TestClient]:
    app = create_app(settings)

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    app.state.services.faults.sleep = record_sleep
    with TestClient(app, raise_server_exceptions=False) as test_client:
        test_client.headers.update(AUTH)
        yield test_client


def post(client: TestClient, fault: str | None = None, body: Any = None,
         **headers: str) -> Any:
    if fault is not None:
        headers["X-Mock-Fault"] = fault
    return client.post(CHAT, json=body or HI, headers=headers)


def test_engine_overloaded_is_the_exact_real_body(fault_client: TestClient) -> None:
    response = post(fault_client, "error=engine_overloaded")
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content == (b'{"error":{"message":"The engine is currently overloaded, '
                                b'please try again later","type":"engine_overloaded_error"}}')
    assert len(response.content) == 115  # the size of the 2026 capture
    assert "retry-after" not in response.headers


@pytest.mark.parametrize("name", sorted(NAMED_ERRORS))
def test_every_named_error_has_its_status_type_and_filled_message(
        fault_client: TestClient, name: str) -> None:
    services = fault_client.app.state.services  # type: ignore[attr-defined]
    account = services.auth.authenticate(f"Bearer {API_KEY}").account
    error = NAMED_ERRORS[name]
    response = post(fault_client, f"error={name}")
    assert response.status_code == error.status
    body = response.json()
    assert body["error"]["type"] == error.type
    message = body["error"]["message"]
    assert "{" not in message
    if "{org}" in error.message:
        assert account.id in message and key_id(API_KEY) in message
    if "{model}" in error.message:
        assert message == "Not found the model moonshot-v1-8k or Permission denied"


def test_rate_limit_rpm_message_names_the_account_and_key(fault_client: TestClient) -> None:
    services = fault_client.app.state.services  # type: ignore[attr-defined]
    org = services.auth.authenticate(f"Bearer {API_KEY}").account.id
    response = post(fault_client, "error=rate_limit_rpm")
    assert response.json()["error"]["message"] == (
        f"Your account {org}<{key_id(API_KEY)}> request reached organization max RPM: 3, "
        "please try again after 1 seconds")


def test_custom_error_and_retry_after(fault_client: TestClient) -> None:
    response = post(fault_client, "status=429;type=rate_limit_reached_error;message=slow down;"
                                  "retry_after=0.25")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "0.25"
    assert response.json() == {"error": {"message": "slow down",
                                         "type": "rate_limit_reached_error"}}


@pytest.mark.parametrize("fault", ["boom", "latency=fast", "error=quota;reset", ""])
def test_undecodable_header_is_a_400_naming_the_problem(fault_client: TestClient,
                                                        fault: str) -> None:
    with pytest.raises(FaultSyntaxError) as caught:
        parse_fault(fault)
    response = post(fault_client, fault)
    assert response.status_code == 400
    assert response.json() == {"error": {
        "message": f"Invalid request: X-Mock-Fault: {caught.value}",
        "type": "invalid_request_error"}}


def test_bad_scenario_header_is_a_400(fault_client: TestClient) -> None:
    response = post(fault_client, **{"X-Mock-Scenario": "429,,ok"})
    assert response.json() == {"error": {
        "message": "Invalid request: X-Mock-Scenario: scenario step 2 is empty",
        "type": "invalid_request_error"}}


def test_auth_comes_before_faults(fault_client: TestClient) -> None:
    response = post(fault_client, "error=engine_overloaded", Authorization="Bearer nope")
    assert response.status_code == 401


def test_latency_waits_then_answers(fault_client: TestClient, sleeps: list[float]) -> None:
    response = post(fault_client, "latency=250ms")
    assert response.status_code == 200
    assert sleeps == [0.25]


def test_gateway_timeout_is_silent_then_the_html_page(fault_client: TestClient,
                                                      sleeps: list[float]) -> None:
    response = post(fault_client, "gateway_timeout=2s")
    assert sleeps == [2.0]
    assert response.status_code == 504
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.content == GATEWAY_TIMEOUT_HTML
    assert b"504 Gateway Time-out" in response.content


def test_scenario_header_drives_a_retry_loop(fault_client: TestClient) -> None:
    headers = {"X-Mock-Session": "run-1", "X-Mock-Scenario": "429,500,ok"}
    assert [post(fault_client, **headers).status_code for _ in range(4)] == [429, 500, 200, 200]
    other = {"X-Mock-Session": "run-2", "X-Mock-Scenario": "429,500,ok"}
    assert post(fault_client, **other).status_code == 429


def test_stream_faults_do_not_touch_non_stream_requests(fault_client: TestClient) -> None:
    assert post(fault_client, "no_done;duplicate=1").status_code == 200


def test_stream_no_done_and_duplicate_bytes(fault_client: TestClient) -> None:
    body = {**HI, "stream": True}
    plain = post(fault_client, body=body).content
    faulty = post(fault_client, "no_done;duplicate=1", body=body).content
    assert plain.endswith(b"data: [DONE]\n\n")
    events, faulty_events = plain.split(b"\n\n")[:-1], faulty.split(b"\n\n")[:-1]
    assert faulty.endswith(b"\n\n") and b"[DONE]" not in faulty
    assert faulty_events[0] == faulty_events[1]
    assert len(faulty_events) == len(events)  # one duplicate in, [DONE] out


def test_journal_records_faults_usage_and_streams(fault_client: TestClient) -> None:
    post(fault_client, "error=engine_overloaded")
    post(fault_client, body={**HI, "stream": True})
    entries = fault_client.get("/_mock/journal").json()["data"]
    assert [(e["status"], e["fault"], e["fault_source"]) for e in entries] == [
        (429, "error=engine_overloaded", "header"), (200, None, None)]
    stream = entries[1]
    assert stream["stream"]["done"] is True and stream["stream"]["cut"] is False
    assert stream["stream"]["events"] >= 2
    assert stream["usage"]["total_tokens"] == (stream["usage"]["prompt_tokens"]
                                               + stream["usage"]["completion_tokens"])
    assert stream["body"] == {"bytes": stream["body"]["bytes"], "model": "moonshot-v1-8k",
                              "stream": True, "messages": 1}
    assert stream["key_id"] == key_id(API_KEY)
    assert stream["request_id"]


def test_no_key_in_journal_or_logs(fault_client: TestClient,
                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    post(fault_client)
    post(fault_client, "error=server_error")
    post(fault_client, Authorization="Bearer sk-wrong-but-secret")  # open mode: accepted
    post(fault_client, body={"model": "nope"})
    fault_client.get("/v1/models", headers={"Authorization": "Basic sk-basic-secret"})
    exported = fault_client.get("/_mock/journal/export").text
    assert len(fault_client.get("/_mock/journal").json()["data"]) == 5
    for secret in (API_KEY, "sk-wrong-but-secret", "sk-basic-secret"):
        assert secret not in exported
        assert secret not in caplog.text


def test_config_rules_and_scenarios_apply(settings: Settings) -> None:
    changed = dataclasses.replace(settings, **settings_from_mapping({
        "faults": [{"fault": "error=content_filter", "match": {"model": "kimi-k2.5"}}],
        "scenarios": {"ci": "503,ok"},
    }).__dict__ | {"seed": 7, "clock": "virtual"})
    client = TestClient(create_app(changed), raise_server_exceptions=False)
    client.headers.update(AUTH)
    assert post(client, body={**HI, "model": "kimi-k2.5"}).status_code == 400
    assert post(client).status_code == 200
    assert [post(client, **{"X-Mock-Session": "ci"}).status_code for _ in range(2)] == [503, 200]


def test_admin_token_locks_fault_headers(settings: Settings) -> None:
    client = TestClient(create_app(dataclasses.replace(settings, admin_token="t0k")),
                        raise_server_exceptions=False)
    client.headers.update(AUTH)
    response = post(client, "error=engine_overloaded")
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "invalid_authentication_error"
    assert post(client, "error=engine_overloaded",
                **{"X-Mock-Admin-Token": "t0k"}).status_code == 429
    assert post(client).status_code == 200
