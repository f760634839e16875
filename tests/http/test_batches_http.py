"""Batches through the app: every error with its status, type and message; the lines run like
direct calls (same answers, fault rules, journal entries marked with the batch), billed at the
batch price; expiry; a cancel while validating."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

MODEL = "kimi-k2.6"
BATCH_PRICE = {"input": Decimal("0.57"), "cached_input": Decimal("0.10"), "output": Decimal("2.40")}
ACCOUNTS = (AccountConfig(name="acme", keys=("sk-acme",), cash_balance=5.0),
            AccountConfig(name="poor", keys=("sk-poor",), cash_balance=0.0))


def make(**settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=6, clock="virtual", accounts=ACCOUNTS, **settings)),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = "Bearer sk-acme"
    return client


def line(custom_id: str, text: str, **body: Any) -> dict[str, Any]:
    return {"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": MODEL, "messages": [{"role": "user", "content": text}], **body}}


def upload(client: TestClient, lines: list[Any], name: str = "in.jsonl",
           purpose: str = "batch") -> str:
    data = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
    response = client.post("/v1/files", files={"file": (name, data)}, data={"purpose": purpose})
    assert response.status_code == 200, response.text
    return response.json()["id"]


def create(client: TestClient, file_id: str, **extra: Any) -> Any:
    return client.post("/v1/batches", json={"input_file_id": file_id, "completion_window": "24h",
                                            "endpoint": "/v1/chat/completions", **extra})


def error(response: Any) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["type"], body["message"]


def content(client: TestClient, file_id: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in client.get(f"/v1/files/{file_id}/content").text.splitlines()]


BAD = "invalid_request_error"


@pytest.mark.parametrize(("change", "expected"), [
    *(({"completion_window": window},
       (400, BAD, "Invalid request: completion_window must be a duration from 12h to 7d in hours "
                  f"or days, such as '24h' or '3d', got '{window}'"))
      for window in ("1h", "8d", "soon", "00", "169h", "012h", "")),
    ({"endpoint": "/v1/embeddings"},
     (400, BAD, "Invalid request: endpoint must be /v1/chat/completions")),
    ({"metadata": {str(n): "v" for n in range(17)}},
     (400, BAD, "Invalid request: metadata must have at most 16 fields")),
    ({"metadata": {"k": "v" * 513}},
     (400, BAD, "Invalid request: metadata.k must be at most 512 characters long")),
    ({"metadata": {"k" * 65: "v"}},
     (400, BAD, f"Invalid request: metadata keys must be at most 64 characters, got '{'k' * 65}'")),
    ({"input_file_id": "cnhgqnucp7f5h7jfb3s0"},
     (404, "resource_not_found_error", "Not found the file cnhgqnucp7f5h7jfb3s0 or Permission denied")),
])
def test_create_errors(change: dict[str, Any], expected: tuple[int, str, str]) -> None:
    client = make()
    response = create(client, upload(client, [line("a", "hi")]), **change)
    assert error(response) == expected


def test_create_needs_a_batch_file_and_a_positive_balance() -> None:
    client = make()
    extract = upload(client, [line("a", "hi")], name="notes.txt", purpose="file-extract")
    assert error(create(client, extract)) == (400, BAD, (
        f"Invalid request: the input file {extract} must be uploaded with purpose 'batch', "
        "its purpose is 'file-extract'"))
    client.headers["Authorization"] = "Bearer sk-poor"
    status, kind, message = error(create(client, upload(client, [line("a", "hi")])))
    assert (status, kind) == (429, "exceeded_current_quota_error")
    assert message.startswith("Your account org-")


def test_unknown_batches_limits_and_cancelling_a_finished_batch() -> None:
    client = make()
    missing = (404, "resource_not_found_error", "Not found the batch batch_x or Permission denied")
    assert error(client.get("/v1/batches/batch_x")) == missing
    assert error(client.post("/v1/batches/batch_x/cancel")) == missing
    for raw in ("0", "101", "x"):
        assert error(client.get(f"/v1/batches?limit={raw}")) == (400, BAD, (
            f"Invalid request: limit must be an integer between 1 and 100, got '{raw}'"))
    batch = create(client, upload(client, [line("a", "hi")])).json()
    client.headers["Authorization"] = "Bearer sk-poor"  # another account's batch is not found
    assert error(client.get(f"/v1/batches/{batch['id']}"))[0] == 404
    client.headers["Authorization"] = "Bearer sk-acme"
    done = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "3"}).json()
    assert done["status"] == "completed"
    assert error(client.post(f"/v1/batches/{batch['id']}/cancel")) == (400, BAD, (
        f"Invalid request: batch {batch['id']} cannot be cancelled in status 'completed'; only "
        "validating, in_progress or finalizing batches can be cancelled"))


def test_lines_answer_like_direct_calls_and_bill_at_the_batch_price() -> None:
    client = make()
    texts = ["请写一首关于月亮的诗", "Summarise the moon landing"]
    direct = [make().post("/v1/chat/completions", json=line("x", t)["body"]).json() for t in texts]
    start = Decimal(str(client.get("/v1/users/me/balance").json()["data"]["available_balance"]))
    batch = create(client, upload(client, [line(f"r{i}", t) for i, t in enumerate(texts)])).json()
    done = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "3"}).json()
    answers = [x["response"]["body"] for x in content(client, done["output_file_id"])]
    for got, want in zip(answers, direct, strict=True):
        assert got["choices"] == want["choices"] and got["usage"] == want["usage"]
    spent = start - Decimal(str(client.get("/v1/users/me/balance").json()["data"]["available_balance"]))
    expected = sum((a["usage"]["prompt_tokens"] * BATCH_PRICE["input"]
                    + a["usage"]["completion_tokens"] * BATCH_PRICE["output"]) for a in answers)
    assert spent == round(expected / 1_000_000, 5)
    marked = [e for e in client.get("/_mock/journal").json()["data"] if e["extra"].get("batch")]
    assert [(e["extra"]["custom_id"], e["status"], e["path"]) for e in marked] == [
        ("r0", 200, "/v1/chat/completions"), ("r1", 200, "/v1/chat/completions")]
    assert marked[0]["usage"] == answers[0]["usage"] and marked[0]["account"] == "acme"


def test_fault_rules_apply_to_lines() -> None:
    client = make()
    client.post("/_mock/faults", json={"fault": "error=engine_overloaded", "times": 1,
                                      "match": {"path": "/v1/chat/completions"}})
    batch = create(client, upload(client, [line("a", "one"), line("b", "two")])).json()
    done = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "3"}).json()
    assert done["request_counts"] == {"completed": 1, "failed": 1, "total": 2}
    refused = content(client, done["error_file_id"])
    assert refused[0]["custom_id"] == "a" and refused[0]["response"]["status_code"] == 429
    assert refused[0]["response"]["body"]["error"]["type"] == "engine_overloaded_error"


def test_a_model_without_batches_fails_validation() -> None:
    client = make()
    batch = create(client, upload(client, [line("a", "hi", model="kimi-k3")])).json()
    failed = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "1"}).json()
    assert failed["status"] == "failed"
    assert failed["errors"]["data"] == [{
        "code": "model_not_supported", "param": "body.model", "line": None,
        "message": "The model kimi-k3 does not support the Batch API "
                   "(supported: kimi-k2.5, kimi-k2.6, kimi-k2.7-code)"}]


def test_expiry_writes_every_line_to_the_error_file() -> None:
    client = make(batch_seconds=200_000)  # slower than the 12h window
    batch = create(client, upload(client, [line("a", "one"), line("b", "two")]),
                   completion_window="12h").json()
    late = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "43200"})
    expired = late.json()
    assert expired["status"] == "expired" and expired["output_file_id"] is None
    assert expired["request_counts"] == {"completed": 0, "failed": 2, "total": 2}
    assert content(client, expired["error_file_id"])[1] == {
        "custom_id": "b", "id": "b", "response": None, "error": {
            "code": "batch_expired",
            "message": "This request could not be executed before the completion window expired."}}


def test_cancel_while_validating_runs_nothing() -> None:
    client = make()
    batch = create(client, upload(client, [line("a", "one")])).json()
    cancelling = client.post(f"/v1/batches/{batch['id']}/cancel").json()
    assert (cancelling["status"], cancelling["cancelling_at"]) == ("cancelling", batch["created_at"])
    done = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "5"}).json()
    assert (done["status"], done["cancelled_at"], done["in_progress_at"]) == (
        "cancelled", batch["created_at"] + 1, None)
    assert not [e for e in client.get("/_mock/journal").json()["data"] if e["extra"].get("batch")]


def test_scripted_replies_answer_batch_lines() -> None:
    client = make()
    client.post("/_mock/replies", json={"id": "one", "match": {"last_user": "one"},
                                        "reply": "scripted one"})
    client.post("/_mock/replies", json={"id": "two", "match": {"last_user": "two"},
                                        "reply": {"error": "error=engine_overloaded"}})
    batch = create(client, upload(client, [line("a", "one"), line("b", "two")])).json()
    done = client.get(f"/v1/batches/{batch['id']}", headers={"X-Mock-Clock-Advance": "3"}).json()
    assert done["request_counts"] == {"completed": 1, "failed": 1, "total": 2}
    answered = content(client, done["output_file_id"])[0]["response"]["body"]
    assert answered["choices"][0]["message"]["content"] == "scripted one"
    refused = content(client, done["error_file_id"])[0]["response"]
    assert refused["status_code"] == 429
    journal = client.get("/_mock/journal", params={"path": "/v1/chat/completions"}).json()["data"]
    assert [e["reply"] for e in journal] == ["one", "two"]
