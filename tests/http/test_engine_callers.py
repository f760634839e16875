"""One engine behind every caller: a batch line gets exactly what the same HTTP request gets.

Two apps with the same settings and the same rules — a fault rule that answers the first
request with an error, a scripted reply — get the same three requests, one app as batch lines,
the other as `POST /v1/chat/completions`. Each line's answer or error and each journal entry
equal the HTTP request's, except what belongs to a transport or to the moment: the answer's id
and time, the request id, the key id and the body's size on the wire.
"""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from tests.http.test_batches_http import content, create, line, upload

ACCOUNTS = (AccountConfig(name="acme", keys=("sk-acme",), cash_balance=5.0),)
LINES = [line("a", "first"), line("b", "What is the weather?"), line("c", "Write about the moon")]
TRANSPORT = ("seq", "time", "elapsed", "request_id", "key_id", "extra")


def configured() -> TestClient:
    client = TestClient(create_app(Settings(seed=3, clock="virtual", accounts=ACCOUNTS)),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = "Bearer sk-acme"
    assert client.post("/_mock/faults", json={"fault": "error=engine_overloaded", "times": 1,
                                              "match": {"path": "/v1/chat/completions"}}).status_code == 201
    assert client.post("/_mock/replies", json={"id": "weather", "match": {"last_user": "weather"},
                                               "reply": "Sunny"}).status_code == 201
    return client


def moment_free(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in ("id", "created")}


def entry_of(entry: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in entry.items() if k not in TRANSPORT}
    kept["body"] = {k: v for k, v in entry["body"].items() if k != "bytes"}
    return kept


def test_a_batch_line_gets_what_the_same_http_request_gets() -> None:
    direct = configured()
    answers = [direct.post("/v1/chat/completions", json=x["body"]) for x in LINES]
    assert [a.status_code for a in answers] == [429, 200, 200]

    batched = configured()
    batch = create(batched, upload(batched, LINES)).json()
    done = batched.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "3"}).json()
    assert done["request_counts"] == {"completed": 2, "failed": 1, "total": 3}
    refused = content(batched, done["error_file_id"])
    assert [r["custom_id"] for r in refused] == ["a"]
    assert refused[0]["response"]["status_code"] == 429
    assert refused[0]["response"]["body"] == answers[0].json()
    output = content(batched, done["output_file_id"])
    assert [moment_free(o["response"]["body"]) for o in output] == \
        [moment_free(a.json()) for a in answers[1:]]
    assert output[0]["response"]["body"]["choices"][0]["message"]["content"] == "Sunny"

    path = {"path": "/v1/chat/completions"}
    by_http = direct.get("/_mock/journal", params=path).json()["data"]
    by_batch = batched.get("/_mock/journal", params=path).json()["data"]
    assert [entry_of(e) for e in by_batch] == [entry_of(e) for e in by_http]
    assert [(e["status"], e["fault_source"], e["reply"]) for e in by_batch] == [
        (429, by_batch[0]["fault_source"], None), (200, None, "weather"), (200, None, None)]
    assert by_batch[0]["fault"] == "error=engine_overloaded"
