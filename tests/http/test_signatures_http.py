"""Request signatures on chat completions (stream and not) and `POST /v1/signatures/verify`,
as a client sees them: headers only for one valid nonce, a timestamp on the API clock, and a
verify endpoint that says false for any changed value."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings

NONCE = "7d929748-0ae6-41c2-ab5d-a186498ad721"
CHAT = {"model": "kimi-k2.6", "messages": [{"role": "user", "content": "hi"}]}


def make(**settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(**{"seed": 3, "clock": "virtual", **settings})))
    client.headers["Authorization"] = "Bearer sk-sign"
    return client


def verify(client: TestClient, **values: Any) -> Any:
    answer = client.post("/v1/signatures/verify", json=values)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize("stream", [False, True])
def test_a_nonce_gets_a_signature_that_verifies(stream: bool) -> None:
    client = make()
    answer = client.post("/v1/chat/completions", json={**CHAT, "stream": stream},
                         headers={"X-Msh-Request-Nonce": NONCE})
    assert answer.status_code == 200
    timestamp = answer.headers["Msh-Request-Timestamp"]
    signature = answer.headers["Msh-Request-Signature"]
    assert timestamp == "1793491200000"  # the virtual clock's start, 2026-11-01, in ms
    assert signature.startswith("reqsigv1_")
    values = {"nonce": NONCE, "timestamp": int(timestamp), "model": "kimi-k2.6",
              "signature": signature}
    assert verify(client, **values) == {"valid": True}
    for name, changed in (("nonce", NONCE.replace("7", "8")), ("timestamp", int(timestamp) + 1),
                          ("model", "kimi-k3"), ("signature", signature[:-2] + "xx")):
        assert verify(client, **{**values, name: changed}) == {"valid": False}


@pytest.mark.parametrize("headers", [
    {}, {"X-Msh-Request-Nonce": ""}, {"X-Msh-Request-Nonce": "two words"},
])
def test_no_or_an_invalid_nonce_answers_unsigned(headers: dict[str, str]) -> None:
    answer = make().post("/v1/chat/completions", json=CHAT, headers=headers)
    assert answer.status_code == 200
    assert "Msh-Request-Signature" not in answer.headers
    assert "Msh-Request-Timestamp" not in answer.headers


def test_a_repeated_nonce_header_answers_unsigned() -> None:
    client = make()
    answer = client.post("/v1/chat/completions", json=CHAT,
                         headers=[("X-Msh-Request-Nonce", NONCE), ("X-Msh-Request-Nonce", NONCE)])
    assert answer.status_code == 200
    assert "Msh-Request-Signature" not in answer.headers


def test_fakes_sharing_a_signing_key_verify_each_other() -> None:
    first, second = make(signing_key="team-key", seed=1), make(signing_key="team-key", seed=2)
    answer = first.post("/v1/chat/completions", json=CHAT, headers={"X-Msh-Request-Nonce": NONCE})
    values = {"nonce": NONCE, "timestamp": int(answer.headers["Msh-Request-Timestamp"]),
              "model": "kimi-k2.6", "signature": answer.headers["Msh-Request-Signature"]}
    assert verify(second, **values) == {"valid": True}
    assert verify(make(signing_key="another"), **values) == {"valid": False}


def test_verify_names_a_missing_or_wrong_field() -> None:
    client = make()
    answer = client.post("/v1/signatures/verify", json={"nonce": NONCE, "model": "kimi-k3",
                                                       "signature": "reqsigv1_x"})
    assert answer.status_code == 400
    assert answer.json()["error"] == {"message": "Invalid request: timestamp is required",
                                      "type": "invalid_request_error"}
    answer = client.post("/v1/signatures/verify", json={"nonce": NONCE, "model": "kimi-k3",
                                                       "signature": "x", "timestamp": "soon"})
    assert answer.status_code == 400
    assert "timestamp" in answer.json()["error"]["message"]


def test_the_signing_key_stays_out_of_the_journal() -> None:
    client = make(signing_key="s3cret-key")
    client.post("/v1/chat/completions", json=CHAT, headers={"X-Msh-Request-Nonce": NONCE})
    assert "s3cret-key" not in client.get("/_mock/journal").text


@pytest.mark.parametrize(("path", "body"), [
    ("/anthropic/v1/messages", {"model": "kimi-k3", "max_tokens": 64,
                                "messages": [{"role": "user", "content": "hi"}]}),
    ("/v1/responses", {"model": "kimi-k3", "input": "hi"}),
])
def test_every_inference_door_signs_through_the_same_step(path: str, body: dict[str, Any]) -> None:
    client = make()
    answer = client.post(path, json=body, headers={"X-Msh-Request-Nonce": NONCE})
    assert answer.status_code == 200, answer.text
    values = {"nonce": NONCE, "timestamp": int(answer.headers["Msh-Request-Timestamp"]),
              "model": "kimi-k3", "signature": answer.headers["Msh-Request-Signature"]}
    assert verify(client, **values) == {"valid": True}
    unsigned = client.post(path, json=body)
    assert "Msh-Request-Signature" not in unsigned.headers
