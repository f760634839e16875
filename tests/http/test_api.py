"""The happy paths over HTTP in-process: shapes, headers, ids, determinism."""

from __future__ import annotations

import inspect
import re
import uuid

import orjson
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from mock_server.data.catalogue import load_catalogue
from mock_server.data.spec import load_spec
from mock_server.doors import DOORS, door
from mock_server.endpoints import HANDLERS, resolve
from tests.conftest import AUTH, CANONICAL_MESSAGES, make_client

CHAT = "/v1/chat/completions"
BODY = {"model": "moonshot-v1-8k", "messages": CANONICAL_MESSAGES, "temperature": 0.3}


def test_every_operation_has_a_handler_and_every_handler_an_operation() -> None:
    operation_ids = {op.operation_id for op in load_spec().operations}
    assert operation_ids == set(HANDLERS) | set(DOORS) and not set(HANDLERS) & set(DOORS)


def test_every_handler_named_in_the_table_is_a_coroutine_function() -> None:
    """The table names handlers, imported on their operation's first request: each name holds."""
    for operation_id in HANDLERS:
        assert inspect.iscoroutinefunction(resolve(operation_id)), operation_id


def test_every_door_named_in_the_table_answers_its_operation() -> None:
    assert all(door(operation_id).operation_id == operation_id for operation_id in DOORS)


def test_spec_is_served_as_json(client: TestClient) -> None:
    response = client.get("/openapi.json", headers={"Authorization": ""})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.1")
    assert "/v1/chat/completions" in response.json()["paths"]


def test_completion_shape_ids_and_headers(client: TestClient) -> None:
    response = client.post(CHAT, json=BODY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert uuid.UUID(response.headers["msh-request-id"]).version == 1
    assert re.fullmatch(r"inner; dur=\d+", response.headers["server-timing"])
    body = response.json()
    # no system_fingerprint: the real non-stream captures (2024, 2026-04) carry none
    assert list(body) == ["id", "object", "created", "model", "choices", "usage"]
    assert body["object"] == "chat.completion" and body["model"] == "moonshot-v1-8k"
    assert re.fullmatch(r"chatcmpl-[0-9a-f]{24}", body["id"])
    assert int(body["id"][9:17], 16) == body["created"]
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert body["choices"][0]["finish_reason"] == "stop"
    assert body["choices"][0]["message"]["role"] == "assistant"


def test_prompt_tokens_are_the_estimate_plus_the_generation_prompt(client: TestClient) -> None:
    usage = client.post(CHAT, json=BODY).json()["usage"]
    estimate = client.post("/v1/tokenizers/estimate-token-count",
                           json={"model": "moonshot-v1-8k", "messages": CANONICAL_MESSAGES})
    assert estimate.json() == {"data": {"total_tokens": usage["prompt_tokens"] - 3}}
    assert abs(usage["prompt_tokens"] - 83) <= 2  # the real API: 80 estimated, 83 in usage


def test_same_seed_same_bytes(settings: Settings) -> None:
    first = make_client(settings).post(CHAT, json=BODY).content
    second = make_client(settings).post(CHAT, json=BODY).content
    assert first == second
    stream = make_client(settings).post(CHAT, json={**BODY, "stream": True}).text
    content = "".join(
        orjson.loads(line[6:])["choices"][0]["delta"].get("content", "")
        for line in stream.split("\n\n") if line.startswith("data: {"))
    assert content == orjson.loads(first)["choices"][0]["message"]["content"]


def test_stream_bytes_and_headers(client: TestClient) -> None:
    response = client.post(CHAT, json={**BODY, "stream": True})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    raw = response.content
    assert raw.endswith(b"\n\ndata: [DONE]\n\n")
    events = raw.split(b"\n\n")
    assert events[-1] == b""
    assert all(e.startswith(b"data: ") and b"\n" not in e for e in events[:-1])
    assert b": " not in raw.split(b"data: ", 1)[0]  # no comment or preamble before the first event
    chunks = [orjson.loads(e[6:]) for e in events[:-2]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert all(re.fullmatch(r"fpv0_[0-9a-f]{8}", c["system_fingerprint"]) for c in chunks)
    final = chunks[-1]["choices"][0]
    assert final["finish_reason"] == "stop" and "usage" in final


def test_models_list_is_the_catalogue(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list"
    ids = [m["id"] for m in body["data"]]
    # the virtual clock's day (2026-11-01): the kimi-k2 previews were discontinued on 2026-05-25
    assert ids == [m.id for m in load_catalogue().models.values() if m.served_on(20758)]
    assert {"moonshot-v1-8k", "moonshot-v1-128k-vision-preview", "kimi-k2.5", "kimi-k3"} <= set(ids)
    assert not {"kimi-k2-0905-preview", "kimi-latest", "kimi-thinking-preview"} & set(ids)
    k25 = next(m for m in body["data"] if m["id"] == "kimi-k2.5")
    assert k25 == {"id": "kimi-k2.5", "object": "model", "created": k25["created"],
                   "owned_by": "moonshot", "context_length": 262144, "supports_image_in": True,
                   "supports_video_in": True, "supports_reasoning": True}


def test_balance_envelope(client: TestClient) -> None:
    body = client.get("/v1/users/me/balance").json()
    assert body == {"code": 0, "data": {"available_balance": 100.0, "voucher_balance": 0.0,
                                        "cash_balance": 100.0}, "scode": "0x0", "status": True}


def test_overdue_balance_counts_only_the_voucher() -> None:
    account = AccountConfig(name="late", keys=("sk-late",), cash_balance=-31.14918,
                            voucher_balance=5.0)
    client = TestClient(create_app(Settings(accounts=(account,))))
    body = client.get("/v1/users/me/balance", headers={"Authorization": "Bearer sk-late"}).json()
    assert body["data"] == {"available_balance": 5.0, "voucher_balance": 5.0,
                            "cash_balance": -31.14918}


def test_strict_mode_accepts_only_listed_keys_and_maps_them_to_accounts() -> None:
    accounts = (AccountConfig(name="acme", keys=("sk-a1", "sk-a2")),
                AccountConfig(name="other", keys=("sk-o",)))
    app = create_app(Settings(accounts=accounts))
    client = TestClient(app)
    for key in ("sk-a1", "sk-a2", "sk-o"):
        assert client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    assert client.get("/v1/models", headers=AUTH).status_code == 401
    auth = app.state.services.auth
    a1, a2 = auth.authenticate("Bearer sk-a1"), auth.authenticate("Bearer sk-a2")
    assert a1.account == a2.account and a1.key_id != a2.key_id
    assert auth.authenticate("Bearer sk-o").account != a1.account
    assert re.fullmatch(r"org-[0-9a-f]{32}", a1.account.id)
    assert re.fullmatch(r"ak-[a-z0-9]{20}", a1.key_id)


def test_files_round_trip_in_memory(client: TestClient) -> None:
    upload = client.post("/v1/files", files={"file": ("notes.txt", "你好 world".encode())},
                         data={"purpose": "file-extract"})
    assert upload.status_code == 200
    file_id = upload.json()["id"]
    assert client.get(f"/v1/files/{file_id}").json()["filename"] == "notes.txt"
    content = client.get(f"/v1/files/{file_id}/content").json()
    assert content["content"] == "你好 world" and content["type"] == "file"
    assert client.delete(f"/v1/files/{file_id}").json() == {"id": file_id, "object": "file",
                                                            "deleted": True}
    assert client.get(f"/v1/files/{file_id}").status_code == 404
