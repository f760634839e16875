"""Balance and billing through the app: exact charges, the quota 429, overload, 429s unbilled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

CHAT = "/v1/chat/completions"
KEY = "sk-acme-1"
PRICE = {"input": Decimal("1.15"), "output": Decimal("8.00")}  # kimi-k2-turbo-preview, per M


def make(cash: float = 1.0, voucher: float = 0.0, **settings: Any) -> TestClient:
    account = AccountConfig(name="acme", keys=(KEY,), cash_balance=cash, voucher_balance=voucher)
    # the API of 2026-01-01, when kimi-k2-turbo-preview was still served (discontinued 2026-05-25)
    client = TestClient(create_app(Settings(seed=9, clock="virtual", api_date="2026-01-01",
                                            accounts=(account,), **settings)),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {KEY}"
    return client


def chat(text: str = "请写一首关于月亮的诗", **extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k2-turbo-preview", "messages": [{"role": "user", "content": text}],
            **extra}


def cost(usage: dict[str, int]) -> Decimal:
    return (usage["prompt_tokens"] * PRICE["input"]
            + usage["completion_tokens"] * PRICE["output"]) / 1_000_000


def balance(client: TestClient) -> dict[str, float]:
    return client.get("/v1/users/me/balance").json()["data"]


def test_balance_decreases_by_exactly_price_times_tokens_voucher_first() -> None:
    client = make(cash=2.0, voucher=0.001)
    spent = Decimal(0)
    for n in range(6):
        answer = client.post(CHAT, json=chat(f"第{n}个问题：月亮有多远？", max_tokens=400))
        assert answer.status_code == 200
        spent += cost(answer.json()["usage"])
    stream = client.post(CHAT, json=chat(stream=True, stream_options={"include_usage": True}))
    assert stream.text.endswith("data: [DONE]\n\n")
    last = [line for line in stream.text.splitlines() if line.startswith('data: {"id"')][-1]
    spent += cost(orjson.loads(last[6:])["usage"])
    assert spent > Decimal("0.001")  # the voucher is used up, cash pays the rest
    cash = Decimal("2.0") - (spent - Decimal("0.001"))
    assert balance(client) == {"available_balance": float(round(cash, 5)),
                               "voucher_balance": 0.0, "cash_balance": float(round(cash, 5))}


def test_insufficient_balance_is_the_quota_429_and_cash_may_go_negative() -> None:
    client = make(cash=0.00001)
    caller = client.app.state.services.auth.authenticate(f"Bearer {KEY}")  # type: ignore[attr-defined]
    first = client.post(CHAT, json=chat(max_tokens=200))
    assert first.status_code == 200  # available > 0 before it: served, then cash goes negative
    after = balance(client)
    assert after["cash_balance"] < 0 and after["available_balance"] == 0.0
    refused = client.post(CHAT, json=chat(max_tokens=200))
    assert refused.status_code == 429
    assert refused.json() == {"error": {
        "message": f"Your account {caller.account.id} <{caller.key_id}> is suspended due to "
                   "insufficient balance, please recharge your account or check your plan and "
                   "billing details",
        "type": "exceeded_current_quota_error"}}
    assert balance(client) == after  # a 429 is not billed
    assert client.get("/v1/models").status_code == 200  # only inference is refused


def test_rate_limited_requests_are_not_billed() -> None:
    client = make(limits={"rpm": 1})
    assert client.post(CHAT, json=chat()).status_code == 200
    paid = balance(client)
    assert [client.post(CHAT, json=chat()).status_code for _ in range(3)] == [429, 429, 429]
    assert balance(client) == paid


def test_engine_overload_schedule_answers_the_real_429_and_counts_against_rpm() -> None:
    client = make(overload_schedule="2", limits={"rpm": 3})
    assert client.post(CHAT, json=chat()).status_code == 200
    paid = balance(client)
    overloaded = client.post(CHAT, json=chat())
    assert overloaded.status_code == 429
    assert overloaded.content == (b'{"error":{"message":"The engine is currently overloaded, '
                                  b'please try again later","type":"engine_overloaded_error"}}')
    assert len(overloaded.content) == 115  # the real body's size
    assert balance(client) == paid
    assert client.post(CHAT, json=chat()).status_code == 200
    assert "organization max RPM: 3" in client.post(CHAT, json=chat()).text


def test_engine_overload_probability_is_seeded() -> None:
    def pattern(seed: int) -> list[int]:
        client = TestClient(create_app(Settings(seed=seed, overload_probability=0.5,
                                                     api_date="2026-01-01")),
                            raise_server_exceptions=False)
        client.headers["Authorization"] = f"Bearer {KEY}"
        return [client.post(CHAT, json=chat()).status_code for _ in range(16)]

    first = pattern(1)
    assert first == pattern(1)
    assert set(first) == {200, 429}
