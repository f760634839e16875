"""The four limits through the app: exact 429s, windows on the virtual clock, shared accounts."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.testclient import TestClient

from mock_server.accounts.limits import project_id
from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from tests.conftest import API_KEY
from tests.http.asgi_driver import DrivenRequest, run

CHAT = "/v1/chat/completions"
HI = [{"role": "user", "content": "hi"}]


def chat(max_tokens: int | None = 16, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"model": "moonshot-v1-8k", "messages": HI, **extra}
    if max_tokens is not None:
        body["max_tokens"] = max_tokens
    return body


def make(key: str = API_KEY, **settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=5, clock="virtual", **settings)),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def who(client: TestClient, key: str = API_KEY) -> tuple[str, str, str]:
    caller = client.app.state.services.auth.authenticate(f"Bearer {key}")  # type: ignore[attr-defined]
    return caller.account.id, project_id(caller.account.name), caller.key_id


def prompt_tokens(client: TestClient, messages: list[dict[str, Any]] = HI) -> int:
    """A chat's prompt_tokens: the estimate of its messages plus the generation prompt (3)."""
    body = {"model": "moonshot-v1-8k", "messages": messages}
    return int(client.post("/v1/tokenizers/estimate-token-count", json=body)
               .json()["data"]["total_tokens"]) + 3


def test_rpm_3_rejects_the_fourth_then_passes_after_the_clock_moves_60s() -> None:
    client = make(tier="Tier0")
    org, _, ak = who(client)
    assert [client.post(CHAT, json=chat()).status_code for _ in range(3)] == [200, 200, 200]
    fourth = client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "12"})
    assert fourth.status_code == 429
    assert fourth.json() == {"error": {
        "message": f"Your account {org}<{ak}> request reached organization max RPM: 3, "
                   "please try again after 1 seconds",  # as captured, not the 48 s left
        "type": "rate_limit_reached_error"}}
    assert "retry-after" not in fourth.headers and "x-ratelimit-limit" not in fourth.headers
    assert client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "47"}).status_code == 429
    passed = client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "1"})
    assert passed.status_code == 200
    assert passed.json()["created"] == 1_793_491_200 + 60  # `created` reads the same clock


def test_tpm_counts_max_tokens_not_the_generated_ones() -> None:
    client = make(limits={"tpm": 2000})
    _, proj, ak = who(client)
    org = who(client)[0]
    prompt = prompt_tokens(client)
    first = client.post(CHAT, json=chat(max_tokens=1500))
    assert first.status_code == 200 and first.json()["usage"]["completion_tokens"] < 100
    second = client.post(CHAT, json=chat(max_tokens=1500))
    assert second.status_code == 429
    assert second.json()["error"]["message"] == (
        f"Your account {org} / {proj} <{ak}> request reached project TPM rate limit, "
        f"current: {2 * (prompt + 1500)}, limit: 2000, "
        "see https://platform.moonshot.cn/docs/pricing/limits")
    no_max = client.post(CHAT, json=chat(max_tokens=None))  # counts the default 1024
    assert f"current: {prompt + 1500 + prompt + 1024}, limit: 2000," in no_max.json()["error"]["message"]
    assert client.post(CHAT, json=chat(max_tokens=2000 - 2 * prompt - 1500)).status_code == 200
    moved = client.post(CHAT, json=chat(max_tokens=1500), headers={"X-Mock-Clock-Advance": "60"})
    assert moved.status_code == 200


def test_tpd_holds_for_a_day() -> None:
    client = make(limits={"tpd": 3000})
    prompt = prompt_tokens(client)
    for _ in range(2):
        ok = client.post(CHAT, json=chat(max_tokens=1000), headers={"X-Mock-Clock-Advance": "61"})
        assert ok.status_code == 200
    third = client.post(CHAT, json=chat(max_tokens=1000), headers={"X-Mock-Clock-Advance": "3600"})
    assert third.status_code == 429
    assert third.json()["error"]["message"].endswith(
        f"organization TPD rate limit, current: {3 * (prompt + 1000)}, limit: 3000")
    later = client.post(CHAT, json=chat(max_tokens=1000),
                        headers={"X-Mock-Clock-Advance": str(86_400 - 3600)})
    assert later.status_code == 200


def test_keys_of_one_account_share_limits_and_other_accounts_are_unaffected() -> None:
    accounts = (AccountConfig(name="acme", keys=("sk-acme-1", "sk-acme-2")),
                AccountConfig(name="other", keys=("sk-other",)))
    client = make(key="sk-acme-1", accounts=accounts, limits={"rpm": 2})
    other = {"Authorization": "Bearer sk-other"}
    second_key = {"Authorization": "Bearer sk-acme-2"}
    assert client.post(CHAT, json=chat()).status_code == 200
    assert client.post(CHAT, json=chat(), headers=second_key).status_code == 200
    shared = client.post(CHAT, json=chat(), headers=second_key)
    org, _, ak2 = who(client, "sk-acme-2")
    assert shared.status_code == 429
    assert shared.json()["error"]["message"].startswith(f"Your account {org}<{ak2}> request")
    assert client.post(CHAT, json={**chat(), "model": "kimi-k2.6"}).status_code == 429
    assert [client.post(CHAT, json=chat(), headers=other).status_code for _ in range(3)] == [
        200, 200, 429]


def test_rate_limit_headers_only_when_asked() -> None:
    client = make(limits={"rpm": 2}, rate_limit_headers=True)
    ok = client.post(CHAT, json=chat())
    assert (ok.headers["x-ratelimit-limit"], ok.headers["x-ratelimit-remaining"],
            ok.headers["x-ratelimit-reset"]) == ("2", "1", "60")
    client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "20"})
    limited = client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "5"})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "35"
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.json()["error"]["message"].endswith("after 1 seconds")  # the text as captured
    stream = client.post(CHAT, json=chat(stream=True), headers={"X-Mock-Clock-Advance": "60"})
    assert stream.status_code == 200 and stream.headers["x-ratelimit-remaining"] == "1"


def test_the_window_hint_says_what_is_left_of_the_window() -> None:
    client = make(limits={"rpm": 1}, retry_hint="window")
    client.post(CHAT, json=chat())
    limited = client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "15"})
    assert limited.json()["error"]["message"].endswith("please try again after 45 seconds")
    assert "retry-after" not in limited.headers  # Retry-After stays behind rate_limit_headers


def test_clock_header_is_strict() -> None:
    client = make()
    bad = client.post(CHAT, json=chat(), headers={"X-Mock-Clock-Advance": "-5"})
    assert bad.status_code == 400 and bad.json()["error"]["message"] == (
        "X-Mock-Clock-Advance must be a non-negative number of seconds, got '-5'")
    real = TestClient(create_app(Settings()), raise_server_exceptions=False)
    answer = real.get("/v1/models", headers={"Authorization": f"Bearer {API_KEY}",
                                             "X-Mock-Clock-Advance": "60"})
    assert answer.status_code == 400 and "needs the virtual clock" in answer.text


async def test_concurrency_1_two_overlapping_streams_second_is_rejected() -> None:
    app = create_app(Settings(seed=5, clock="virtual", tier="Tier0"))
    first = DrivenRequest(app, chat(stream=True), API_KEY, stall=True)
    task = first.start()
    await asyncio.wait_for(first.first_chunk.wait(), timeout=10)
    second = await run(app, chat(stream=True), API_KEY)
    assert second.status == 429
    message = orjson.loads(second.content)["error"]["message"]
    assert message.endswith("request reached max organization concurrency: 1, "
                            "please try again after 1 seconds")
    first.resume.set()
    await asyncio.wait_for(task, timeout=10)
    assert first.content.endswith(b"data: [DONE]\n\n")
    third = await run(app, chat(stream=True), API_KEY)  # the slot is free after the last byte
    assert third.status == 200


async def test_a_client_disconnect_mid_stream_frees_the_slot_and_is_not_billed() -> None:
    app = create_app(Settings(seed=5, clock="virtual", limits={"concurrency": 1}))
    services = app.state.services
    account = services.auth.authenticate(f"Bearer {API_KEY}").account
    before = await services.admission.balance(account)
    first = DrivenRequest(app, chat(stream=True), API_KEY, stall=True)
    task = first.start()
    await asyncio.wait_for(first.first_chunk.wait(), timeout=10)
    assert (await run(app, chat(), API_KEY)).status == 429
    first.gone.set()  # the client goes away while the server is stalled mid-stream
    await asyncio.wait_for(task, timeout=10)
    assert b"[DONE]" not in first.content
    assert await services.admission.balance(account) == before
    assert (await run(app, chat(), API_KEY)).status == 200
