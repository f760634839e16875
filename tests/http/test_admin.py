"""The /_mock control plane: rules, scenarios, clock, journal, reset, and its token."""

from __future__ import annotations

import dataclasses

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings
from tests.conftest import AUTH

CHAT = "/v1/chat/completions"
HI = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}]}


def chat(client: TestClient, **headers: str) -> int:
    return client.post(CHAT, json=HI, headers=headers).status_code


def test_rules_add_list_delete(client: TestClient) -> None:
    created = client.post("/_mock/faults", json={
        "fault": "error=engine_overloaded", "times": 2,
        "match": {"method": "POST", "path": CHAT, "model": "moonshot-v1-8k"}})
    assert created.status_code == 201
    assert created.json() == {"id": "rule-1", "fault": "error=engine_overloaded",
                              "match": {"method": "POST", "path": CHAT,
                                        "model": "moonshot-v1-8k"},
                              "times": 2, "probability": None, "remaining": 2, "applied": 0}
    assert [chat(client) for _ in range(3)] == [429, 429, 200]
    listed = client.get("/_mock/faults").json()
    assert listed["object"] == "list"
    assert [(r["id"], r["remaining"], r["applied"]) for r in listed["data"]] == [("rule-1", 0, 2)]
    assert client.delete("/_mock/faults/rule-1").json() == {"deleted": True, "id": "rule-1"}
    missing = client.delete("/_mock/faults/rule-1")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"message": "fault rule rule-1 not found",
                                        "type": "resource_not_found_error"}}


def test_rule_for_one_account_only(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    other = services.auth.authenticate("Bearer sk-other").account.name
    client.post("/_mock/faults", json={"fault": "500", "match": {"account": other}})
    assert chat(client) == 200
    assert chat(client, Authorization="Bearer sk-other") == 500


def test_bad_rule_is_a_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/_mock/faults", json={"fault": "500", "times": "two"})
    assert response.status_code == 400
    assert response.json() == {"error": {
        "message": "Invalid request: fault rule 'times' must be a whole number >= 1, got 'two'",
        "type": "invalid_request_error"}}
    assert client.post("/_mock/faults", content=b"[").json()["error"]["message"].startswith(
        "Invalid request: the request body is not valid JSON")


def test_clear_faults_removes_rules_and_scenarios(client: TestClient) -> None:
    client.post("/_mock/faults", json={"fault": "500"})
    client.post("/_mock/scenarios", json={"key": "s", "steps": "429"})
    assert client.delete("/_mock/faults").json() == {"deleted": True}
    assert client.get("/_mock/faults").json()["data"] == []
    assert client.get("/_mock/scenarios").json()["data"] == []
    assert chat(client) == 200


def test_scenarios_by_session(client: TestClient) -> None:
    created = client.post("/_mock/scenarios", json={"key": "ci-7", "steps": "429*2,ok"})
    assert created.status_code == 201
    assert created.json() == {"key": "ci-7", "steps": "429*2,ok", "length": 3, "used": 0,
                              "remaining": 3}
    assert [chat(client, **{"X-Mock-Session": "ci-7"}) for _ in range(4)] == [429, 429, 200, 200]
    assert chat(client) == 200  # another key
    assert client.get("/_mock/scenarios").json()["data"][0]["remaining"] == 0
    bad = client.post("/_mock/scenarios", json={"key": "x", "steps": "999"})
    assert bad.json()["error"]["message"] == (
        "Invalid request: scenario step 1: no shortcut for status 999; "
        "use one of 400, 401, 403, 404, 429, 500, 503, 504")
    assert client.post("/_mock/scenarios", json={"steps": "ok"}).status_code == 400
    assert client.delete("/_mock/scenarios").json() == {"deleted": True}


def test_clock_moves_only_when_virtual(client: TestClient, settings: Settings) -> None:
    start = client.get("/_mock/clock").json()
    assert start == {"now": 1_793_491_200.0, "kind": "virtual"}
    assert client.post("/_mock/clock", json={"advance": 90}).json()["now"] == 1_793_491_290.0
    assert client.post("/_mock/clock", json={"set": 1_793_600_000}).json()["now"] == 1_793_600_000
    created = client.post(CHAT, json=HI).json()["created"]
    assert created == 1_793_600_000
    backwards = client.post("/_mock/clock", json={"advance": -1})
    assert backwards.json() == {"error": {"message": "Invalid request: clock: a clock only moves "
                                                     "forward", "type": "invalid_request_error"}}
    real = TestClient(create_app(dataclasses.replace(settings, clock="real")))
    assert real.post("/_mock/clock", json={"advance": 1}).json()["error"]["message"] == (
        "Invalid request: the clock is real; start the fake with clock: virtual to move it")


def test_journal_query_export_clear(client: TestClient) -> None:
    client.post("/_mock/faults", json={"fault": "429", "times": 1})
    chat(client)
    chat(client)
    client.get("/v1/models")
    everything = client.get("/_mock/journal").json()["data"]
    assert [(e["method"], e["path"], e["status"]) for e in everything] == [
        ("POST", CHAT, 429), ("POST", CHAT, 200), ("GET", "/v1/models", 200)]
    assert [e["seq"] for e in client.get(f"/_mock/journal?path={CHAT}").json()["data"]] == [1, 2]
    assert [e["seq"] for e in client.get("/_mock/journal?status=429").json()["data"]] == [1]
    assert [e["seq"] for e in client.get("/_mock/journal?limit=1").json()["data"]] == [3]
    export = client.get("/_mock/journal/export")
    assert export.headers["content-disposition"] == 'attachment; filename="journal.json"'
    assert export.json() == everything
    assert client.get("/_mock/journal?status=x").status_code == 400
    client.delete("/_mock/journal")
    assert client.get("/_mock/journal").json()["data"] == []


def test_a_repeated_body_is_summarised_like_the_first(client: TestClient) -> None:
    raw = orjson.dumps({**HI, "max_tokens": 8, "stream": False})
    json_type = {"content-type": "application/json"}
    for content in (raw, raw, iter([raw]), raw):  # the third chunked: no Content-Length
        assert client.post(CHAT, content=content, headers=json_type).status_code == 200
    entries = client.get("/_mock/journal").json()["data"]
    summary = {"model": "moonshot-v1-8k", "stream": False, "max_tokens": 8, "messages": 1}
    assert [e["body"] for e in entries] == [
        {"bytes": size, **summary} for size in (len(raw), len(raw), 0, len(raw))]


def test_reset_returns_to_the_start(client: TestClient) -> None:
    client.post("/_mock/faults", json={"fault": "500"})
    client.post("/_mock/clock", json={"advance": 60})
    client.post("/v1/files", files={"file": ("a.txt", b"hello")}, data={"purpose": "file-extract"})
    assert client.post("/_mock/reset").json() == {"reset": True}
    assert client.get("/_mock/faults").json()["data"] == []
    assert client.get("/_mock/journal").json()["data"] == []
    assert client.get("/_mock/clock").json()["now"] == 1_793_491_200.0
    assert client.get("/v1/files").json()["data"] == []
    assert chat(client) == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"X-Mock-Admin-Token": "wrong"}])
def test_admin_token_locks_the_plane(settings: Settings, headers: dict[str, str]) -> None:
    client = TestClient(create_app(dataclasses.replace(settings, admin_token="s3cret")))
    response = client.get("/_mock/journal", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": {
        "message": "The control plane needs the admin token "
                   "(Authorization: Bearer <token> or X-Mock-Admin-Token)",
        "type": "invalid_authentication_error"}}


def test_admin_token_opens_the_plane(settings: Settings) -> None:
    client = TestClient(create_app(dataclasses.replace(settings, admin_token="s3cret")))
    assert client.get("/_mock/journal",
                      headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.post("/_mock/reset", headers={"X-Mock-Admin-Token": "s3cret"}).status_code == 200
    client.headers.update(AUTH)
    assert chat(client) == 200  # the API itself still takes API keys


def test_control_plane_is_not_under_v1_and_not_journaled(client: TestClient) -> None:
    assert client.get("/v1/_mock/journal").status_code == 404
    client.get("/_mock/faults")
    assert client.get("/_mock/journal").json()["data"][0]["path"] == "/v1/_mock/journal"
    assert len(client.get("/_mock/journal").json()["data"]) == 1
