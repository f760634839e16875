"""The explicit caching API (setting `explicit_caching`): caches and tags, their statuses on the
API clock, their use in chat (header or `cache` message) with `cached_tokens`, the response
headers and the cached price, and every error with its status, type and message."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

CHAT = "/v1/chat/completions"
SYSTEM = [{"role": "system", "content": "你是 Kimi。" + "请遵守以下规则。" * 200}]
BAD = "invalid_request_error"
MISSING = "resource_not_found_error"


def make(**settings: Any) -> TestClient:
    account = AccountConfig(name="acme", keys=("sk-acme",), cash_balance=5.0)
    options = {"explicit_caching": True, **settings}
    client = TestClient(create_app(Settings(seed=8, clock="virtual", accounts=(account,),
                                            **options)), raise_server_exceptions=False)
    client.headers["Authorization"] = "Bearer sk-acme"
    return client


def error(response: Any) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["type"], body["message"]


def ready_cache(client: TestClient, **extra: Any) -> dict[str, Any]:
    cache = client.post("/v1/caching", json={"model": "moonshot-v1", "messages": SYSTEM,
                                             **extra}).json()
    client.get("/v1/models", headers={"X-Mock-Clock-Advance": "1"})
    return cache


def ask(question: str, messages: list[dict[str, Any]] = SYSTEM) -> dict[str, Any]:
    return {"model": "moonshot-v1-32k", "messages": [*messages,
                                                      {"role": "user", "content": question}]}


def test_off_by_default_the_urls_are_unknown() -> None:
    client = make(explicit_caching=False)
    response = client.get("/v1/caching")
    assert response.status_code == 404 and response.json()["error"] == "url.not_found"
    assert client.post(CHAT, json=ask("hi"), headers={"X-Msh-Context-Cache": "cache-x"}
                       ).status_code == 200  # the header is ignored


def test_cache_lifecycle() -> None:
    client = make()
    created = client.post("/v1/caching", json={"model": "moonshot-v1", "messages": SYSTEM,
                                               "name": "kimi", "metadata": {"biz": "1"}}).json()
    assert created["id"].startswith("cache-") and len(created["id"]) == 26
    assert (created["status"], created["object"], created["name"]) == ("pending", "context-cache", "kimi")
    assert created["expired_at"] == created["created_at"] + 3600 and created["tokens"] > 256
    path = f"/v1/caching/{created['id']}"
    assert client.get(path, headers={"X-Mock-Clock-Advance": "1"}).json()["status"] == "ready"
    updated = client.put(path, json={"ttl": 60, "metadata": {"biz": "2"}}).json()
    assert (updated["expired_at"], updated["metadata"]) == (created["created_at"] + 61, {"biz": "2"})
    assert client.get(path, headers={"X-Mock-Clock-Advance": "60"}).json()["status"] == "inactive"
    second = ready_cache(client)
    assert [c["id"] for c in client.get("/v1/caching").json()["data"]] == [second["id"], created["id"]]
    assert [c["id"] for c in client.get("/v1/caching?order=asc&limit=1").json()["data"]] == [created["id"]]
    assert client.delete(path).json() == {"deleted": True, "id": created["id"],
                                          "object": "context_cache_object.deleted"}
    assert error(client.get(path)) == (
        404, MISSING, f"Not found the cache {created['id']} or Permission denied")


def test_tags() -> None:
    client = make()
    cache = ready_cache(client)
    tag = client.post("/v1/caching/refs/tags", json={"tag": "my-tag", "cache_id": cache["id"]}).json()
    assert (tag["object"], tag["cache_id"], tag["tag"]) == ("cache_object.tag", cache["id"], "my-tag")
    assert tag["owned_by"] and len(tag["owned_by"]) == 20
    assert client.get("/v1/caching/refs/tags/my-tag").json() == tag
    assert client.get("/v1/caching/refs/tags/my-tag/content").json()["id"] == cache["id"]
    assert client.get("/v1/caching/refs/tags").json()["data"] == [tag]
    assert error(client.post("/v1/caching/refs/tags", json={"tag": "my-tag", "cache_id": cache["id"]})
                 ) == (400, BAD, "Invalid request: the tag my-tag already exists")
    assert error(client.post("/v1/caching/refs/tags", json={"tag": "1st", "cache_id": cache["id"]})) == (
        400, BAD, "Invalid request: tag must be 1 to 128 characters, a letter first, then letters, "
                  "digits, '_', '-' or '.', got '1st'")
    assert error(client.post("/v1/caching/refs/tags", json={"tag": "t", "cache_id": "cache-nope"})
                 ) == (404, MISSING, "Not found the cache cache-nope or Permission denied")
    gone = {"deleted": True, "object": "cache_object.tag.deleted", "tag": "my-tag"}
    assert client.delete("/v1/caching/refs/tags/my-tag").json() == gone
    assert client.delete("/v1/caching/refs/tags/my-tag").json() == gone  # even if absent
    assert error(client.get("/v1/caching/refs/tags/my-tag")) == (
        404, MISSING, "Not found the tag my-tag or Permission denied")


def test_create_errors() -> None:
    client = make()
    assert error(client.post("/v1/caching", json={"model": "kimi-k2.6", "messages": SYSTEM})) == (
        400, BAD, "Invalid request: model must be 'moonshot-v1' for context caching, got 'kimi-k2.6'")
    status, kind, message = error(client.post("/v1/caching", json={
        "model": "moonshot-v1", "messages": SYSTEM, "expired_at": 1_793_491_200 + 7200}))
    assert (status, kind) == (400, BAD)
    assert message == ("Invalid request: expired_at must be in the future and at most 3600 "
                       "seconds ahead, got 1793498400 (now 1793491200)")
    assert error(client.post("/v1/caching", json={"model": "moonshot-v1", "messages": SYSTEM,
                                                  "ttl": 7200}))[:2] == (400, BAD)
    assert error(client.get("/v1/caching?order=up")) == (
        400, BAD, "Invalid request: order must be 'asc' or 'desc', got 'up'")


def test_chat_with_the_header_reports_the_cache_and_bills_it_cached() -> None:
    client = make()
    cache = ready_cache(client)
    before = Decimal(str(client.get("/v1/users/me/balance").json()["data"]["available_balance"]))
    response = client.post(CHAT, json=ask("规则是什么？"),
                           headers={"X-Msh-Context-Cache": cache["id"],
                                    "X-Msh-Context-Cache-Reset-TTL": "600"})
    assert response.status_code == 200, response.text
    usage = response.json()["usage"]
    assert usage["cached_tokens"] == cache["tokens"]
    assert response.headers["msh-context-cache-id"] == cache["id"]
    assert response.headers["msh-context-cache-token-saved"] == str(cache["tokens"])
    now = cache["created_at"] + 1
    assert response.headers["msh-context-cache-token-exp"] == str(now + 600)
    fresh = usage["prompt_tokens"] - usage["cached_tokens"]
    cost = (fresh * Decimal("1.00") + usage["cached_tokens"] * Decimal("0.15")
            + usage["completion_tokens"] * Decimal("3.00")) / 1_000_000
    after = Decimal(str(client.get("/v1/users/me/balance").json()["data"]["available_balance"]))
    assert before - after == round(cost, 5)
    assert error(client.post(CHAT, json=ask("hi", [{"role": "system", "content": "other"}]),
                             headers={"X-Msh-Context-Cache": cache["id"]})) == (
        400, BAD, "Invalid request: the leading messages and tools of the request do not match "
                  f"the cache {cache['id']}")
    assert error(client.post(CHAT, json=ask("hi"), headers={"X-Msh-Context-Cache": "cache-nope"})
                 ) == (404, MISSING, "Not found the cache cache-nope or Permission denied")


def test_chat_with_a_cache_message_by_id_or_tag() -> None:
    client = make()
    cache = ready_cache(client)
    client.post("/v1/caching/refs/tags", json={"tag": "sys", "cache_id": cache["id"]})
    for content in (f"cache_id={cache['id']};reset_ttl=300", "tag=sys"):
        body = ask("规则是什么？", [{"role": "cache", "content": content}])
        response = client.post(CHAT, json=body)
        assert response.status_code == 200, response.text
        assert response.json()["usage"]["cached_tokens"] == cache["tokens"]
        assert response.json()["usage"]["prompt_tokens"] == client.post(
            CHAT, json=ask("规则是什么？")).json()["usage"]["prompt_tokens"]
    cached = [{"role": "cache", "content": f"cache_id={cache['id']}"}]
    assert error(client.post(CHAT, json={**ask("hi", cached), "tools": []})) == (
        400, BAD, "Invalid request: tools must be null when the first message has role 'cache'")
    late = [{"role": "user", "content": "hi"}, *cached]
    assert error(client.post(CHAT, json={"model": "moonshot-v1-32k", "messages": late})) == (
        400, BAD, "Invalid request: a message with role 'cache' must be the first message")
    assert error(client.post(CHAT, json=ask("hi", [{"role": "cache", "content": "id=1"}])))[:2] == (
        400, BAD)


def test_a_pending_or_inactive_cache_cannot_be_used() -> None:
    client = make()
    cache = client.post("/v1/caching", json={"model": "moonshot-v1", "messages": SYSTEM,
                                             "ttl": 10}).json()
    header = {"X-Msh-Context-Cache": cache["id"]}
    assert error(client.post(CHAT, json=ask("hi"), headers=header)) == (
        400, BAD, f"Invalid request: the cache {cache['id']} cannot be used in status 'pending'; "
                  "only a ready cache can be used")
    client.get("/v1/models", headers={"X-Mock-Clock-Advance": "10"})
    assert "'inactive'" in error(client.post(CHAT, json=ask("hi"), headers=header))[2]
