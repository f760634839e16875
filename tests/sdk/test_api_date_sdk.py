"""`api_date` seen through the real `openai` SDK: the same client code against the API of three
days gets that day's models, rules and errors."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings
from mock_server.server.thread import serve_in_thread

KEY, BROKE = "sk-dated", "sk-broke"
HI = [{"role": "user", "content": "hi"}]
WEATHER = [{"type": "function", "function": {
    "name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
DAYS = ("2025-06-01", "2025-12-01", "2026-11-01")


@pytest.fixture(scope="module")
def clients() -> Iterator[dict[str, tuple[OpenAI, OpenAI]]]:
    """Per day: an SDK client of a funded account and one of an account without balance."""
    accounts = (AccountConfig(name="dated", keys=(KEY,)),
                AccountConfig(name="broke", keys=(BROKE,), cash_balance=0.0))
    made: dict[str, tuple[OpenAI, OpenAI]] = {}
    with serve_in_thread(create_app(Settings(seed=2, api_date=DAYS[0], accounts=accounts))) as a, \
            serve_in_thread(create_app(Settings(seed=2, api_date=DAYS[1], accounts=accounts))) as b, \
            serve_in_thread(create_app(Settings(seed=2, api_date=DAYS[2], accounts=accounts))) as c:
        for day, url in zip(DAYS, (a, b, c), strict=True):
            made[day] = tuple(OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)  # type: ignore[assignment]
                              for key in (KEY, BROKE))
        yield made


def served(sdk: OpenAI) -> set[str]:
    return {model.id for model in sdk.models.list()}


def test_mid_2025_kimi_latest_and_the_thinking_preview_no_k2(
        clients: dict[str, tuple[OpenAI, OpenAI]]) -> None:
    sdk, broke = clients["2025-06-01"]
    models = served(sdk)
    assert {"moonshot-v1-8k", "kimi-latest", "kimi-thinking-preview"} <= models
    assert not {"kimi-k2-0711-preview", "kimi-k2.5", "kimi-k3"} & models
    assert sdk.chat.completions.create(model="kimi-latest", messages=HI).choices[0].message.content
    with pytest.raises(openai.NotFoundError, match="Not found the model kimi-k2-0905-preview or "
                                                   "Permission denied"):
        sdk.chat.completions.create(model="kimi-k2-0905-preview", messages=HI)
    with pytest.raises(openai.BadRequestError, match="kimi-thinking-preview does not support tools"):
        sdk.chat.completions.create(model="kimi-thinking-preview", messages=HI, tools=WEATHER)
    with pytest.raises(openai.PermissionDeniedError, match="exceeded current quota"):
        broke.chat.completions.create(model="moonshot-v1-8k", messages=HI)  # a 403 in 2025


def test_end_2025_the_k2_previews(clients: dict[str, tuple[OpenAI, OpenAI]]) -> None:
    sdk, broke = clients["2025-12-01"]
    models = served(sdk)
    assert {"kimi-k2-0905-preview", "kimi-k2-turbo-preview", "kimi-k2-thinking", "kimi-latest"} <= models
    assert not {"kimi-thinking-preview", "kimi-k2.5", "kimi-k3"} & models
    call = sdk.chat.completions.create(model="kimi-k2-0905-preview", tools=WEATHER, messages=[
        {"role": "user", "content": "What's the weather in Paris?"}])  # a tool that fits: a call
    assert call.choices[0].message.tool_calls[0].id == "functions.get_weather:0"
    with pytest.raises(openai.NotFoundError, match="Not found the model kimi-thinking-preview"):
        sdk.chat.completions.create(model="kimi-thinking-preview", messages=HI)
    with pytest.raises(openai.RateLimitError, match="suspended due to insufficient balance"):
        broke.chat.completions.create(model="moonshot-v1-8k", messages=HI)  # a 429 since 2025-12


def test_late_2026_k3_and_no_previews(clients: dict[str, tuple[OpenAI, OpenAI]]) -> None:
    sdk, _ = clients["2026-11-01"]
    models = served(sdk)
    assert {"kimi-k2.5", "kimi-k2.6", "kimi-k3"} <= models
    assert not {"kimi-k2-0905-preview", "kimi-latest"} & models
    for gone in ("kimi-k2-0711-preview", "kimi-latest"):
        with pytest.raises(openai.NotFoundError, match=f"Not found the model {gone} or Permission denied"):
            sdk.chat.completions.create(model=gone, messages=HI)
    required = sdk.chat.completions.create(model="kimi-k3", messages=HI, tools=WEATHER,
                                           tool_choice="required")
    assert required.choices[0].finish_reason == "tool_calls"
    assert required.system_fingerprint is None  # non-stream answers carry none
    with pytest.raises(openai.BadRequestError, match=r"image_url\.url must be a base64 data URL"):
        sdk.chat.completions.create(model="kimi-k2.6", messages=[{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}}]}])
