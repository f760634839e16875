"""Automatic context caching through the app: `cached_tokens` on the second of two long prompts
sharing a prefix (multiples of 256, non-stream and the stream's final usage), billed at the
cached-input price; nothing for short prompts, other models or accounts, or when turned off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

CHAT = "/v1/chat/completions"
MODEL = "kimi-k2-turbo-preview"
PRICE = {"input": Decimal("1.15"), "cached_input": Decimal("0.15"), "output": Decimal("8.00")}
MANUAL = " ".join(f"Rule {n}: answer in plain words and cite the section." for n in range(300))


def make(key: str = "sk-acme-1", **settings: Any) -> TestClient:
    accounts = (AccountConfig(name="acme", keys=("sk-acme-1",), cash_balance=10.0),
                AccountConfig(name="other", keys=("sk-other-1",), cash_balance=10.0))
    # the API of 2026-01-01, when kimi-k2-turbo-preview was served (discontinued 2026-05-25)
    client = TestClient(create_app(Settings(seed=4, clock="virtual", api_date="2026-01-01",
                                            accounts=accounts, **settings)),
                        raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def body(question: str, system: str = MANUAL, model: str = MODEL, **extra: Any) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "system", "content": system},
                                         {"role": "user", "content": question}], **extra}


def usage(client: TestClient, payload: dict[str, Any]) -> dict[str, int]:
    response = client.post(CHAT, json=payload)
    assert response.status_code == 200, response.text
    return response.json()["usage"]


def cost(used: dict[str, int]) -> Decimal:
    cached = used.get("cached_tokens", 0)
    return ((used["prompt_tokens"] - cached) * PRICE["input"] + cached * PRICE["cached_input"]
            + used["completion_tokens"] * PRICE["output"]) / 1_000_000


def available(client: TestClient) -> Decimal:
    return Decimal(str(client.get("/v1/users/me/balance").json()["data"]["available_balance"]))


def test_second_long_prompt_with_a_shared_prefix_is_cached_and_billed_cheaper() -> None:
    client = make()
    first = usage(client, body("What does rule 7 say?"))
    assert first["prompt_tokens"] > 2000 and "cached_tokens" not in first
    before = available(client)
    second = usage(client, body("And rule 12?"))
    cached = second["cached_tokens"]
    assert cached % 256 == 0 and 0 < cached < second["prompt_tokens"]
    assert second["prompt_tokens"] - cached < 256 + 20  # all but the differing tail
    # balances are shown to 5 places: the difference of two shown balances may differ from the
    # rounded cost by one unit in the last place
    assert abs(before - available(client) - cost(second)) <= Decimal("0.00001")
    full_price = Decimal(second["prompt_tokens"]) * PRICE["input"] / 1_000_000
    assert cost(second) < full_price  # the cached part really is cheaper


def test_the_stream_reports_the_same_cached_tokens_in_its_final_usage() -> None:
    client = make()
    usage(client, body("What does rule 7 say?"))
    stream = client.post(CHAT, json=body("And rule 12?", stream=True))
    events = [orjson.loads(line[6:]) for line in stream.text.split("\n\n")
              if line.startswith("data: {")]
    final = events[-1]["choices"][0]["usage"]
    again = usage(make(), body("What does rule 7 say?"))  # a fresh app: same first request
    assert "cached_tokens" not in again
    assert final["cached_tokens"] % 256 == 0 and final["cached_tokens"] > 0


def test_short_prompts_other_models_and_accounts_are_not_cached() -> None:
    client = make()
    for _ in range(2):
        assert "cached_tokens" not in usage(client, body("hi", system="Be brief."))
    usage(client, body("What does rule 7 say?"))
    assert "cached_tokens" not in usage(client, body("And rule 12?", model="moonshot-v1-32k"))
    other = make()
    usage(other, body("What does rule 7 say?"))
    other.headers["Authorization"] = "Bearer sk-other-1"
    assert "cached_tokens" not in usage(other, body("And rule 12?"))


def test_deterministic_and_the_setting_turns_it_off() -> None:
    runs = []
    for _ in range(2):
        client = make()
        runs.append([usage(client, body(q)) for q in ("rule 7?", "rule 12?", "rule 7?")])
    assert runs[0] == runs[1]
    off = make(automatic_caching=False)
    usage(off, body("rule 7?"))
    assert "cached_tokens" not in usage(off, body("rule 12?"))


def test_reset_clears_the_cache() -> None:
    client = make()
    usage(client, body("rule 7?"))
    client.post("/_mock/reset")
    assert "cached_tokens" not in usage(client, body("rule 12?"))
