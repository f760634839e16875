"""The API as of a date, and the differences to the real API the spec audit listed: each test
here shows one of them, as a client of the real API would see it."""

from __future__ import annotations

import gzip
import re
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.clock import VirtualClock
from mock_server.config import AccountConfig, ConfigError, Settings, load_settings

CHAT = "/v1/chat/completions"
ESTIMATE = "/v1/tokenizers/estimate-token-count"
HI = [{"role": "user", "content": "hi"}]
PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwAD"
       "hgGAWjR9awAAAABJRU5ErkJggg==")


def make(**settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=3, clock="virtual", **settings)))
    client.headers["Authorization"] = "Bearer sk-date"
    return client


def error(response: Any) -> tuple[int, str, str]:
    body = response.json()["error"]
    return response.status_code, body["type"], body["message"]


def listed(client: TestClient) -> set[str]:
    return {m["id"] for m in client.get("/v1/models").json()["data"]}


# -- model lifecycle -----------------------------------------------------------------------

@pytest.mark.parametrize("model", ["kimi-k2-0711-preview", "kimi-k2-0905-preview",
                                   "kimi-k2-turbo-preview", "kimi-k2-thinking", "kimi-latest",
                                   "kimi-thinking-preview"])
def test_discontinued_models_are_the_real_404_and_leave_the_list(model: str) -> None:
    client = make()  # the virtual clock's day, 2026-11-01
    body = {"model": model, "messages": HI}
    expected = (404, "resource_not_found_error", f"Not found the model {model} or Permission denied")
    assert error(client.post(CHAT, json=body)) == expected
    assert error(client.post(ESTIMATE, json=body)) == expected
    assert model not in listed(client)


def test_api_date_switches_the_catalogue() -> None:
    assert {"kimi-latest", "kimi-thinking-preview"} <= listed(make(api_date="2025-06-01"))
    assert not {"kimi-k2-0711-preview", "kimi-k2.5", "kimi-k3"} & listed(make(api_date="2025-06-01"))
    december = listed(make(api_date="2025-12-01"))
    assert {"kimi-k2-0905-preview", "kimi-k2-thinking", "kimi-latest"} <= december
    assert "kimi-thinking-preview" not in december  # discontinued 2025-11-11
    assert {"kimi-k2.6", "kimi-k3"} <= listed(make(api_date="2026-11-01"))
    early = make(api_date="2025-06-01")
    assert error(early.post(CHAT, json={"model": "kimi-k3", "messages": HI}))[0] == 404
    assert early.post(CHAT, json={"model": "kimi-latest", "messages": HI}).status_code == 200


def test_a_model_goes_away_when_the_clock_passes_its_discontinuation() -> None:
    client = TestClient(create_app(Settings(clock="virtual")))
    client.app.state.services.clock = VirtualClock(1_769_472_000)  # type: ignore[attr-defined]
    client.headers["Authorization"] = "Bearer sk-date"
    body = {"model": "kimi-latest", "messages": HI}
    assert client.post(CHAT, json=body).status_code == 200  # 2026-01-27
    day = {"X-Mock-Clock-Advance": "86400"}
    assert client.post(CHAT, json=body, headers=day).status_code == 404  # 2026-01-28
    assert "kimi-latest" not in listed(client)


def test_api_date_setting_is_checked_and_read_from_env_and_flags() -> None:
    with pytest.raises(ConfigError, match="--api-date must be a date YYYY-MM-DD"):
        load_settings({"api_date": "June 2025"}, env={})
    assert load_settings(env={"MOONSHOT_MOCK_API_DATE": "2025-06-01"}).api_date == "2025-06-01"
    with pytest.raises(ConfigError, match="--retry-hint must be"):
        load_settings({"retry_hint": "honest"}, env={})


# -- error texts of the era --------------------------------------------------------------

def test_token_limit_text_follows_the_era() -> None:
    body = {"model": "moonshot-v1-8k", "messages": HI, "max_tokens": 8190}
    texts = {day: error(make(api_date=day).post(CHAT, json=body))[2]
             for day in ("2024-04-15", "2025-06-01")}
    assert texts == {"2024-04-15": "model max length exceeded, max length:8192",
                     "2025-06-01": "Invalid request: Your request exceeded model token limit: 8192"}


def test_insufficient_balance_was_a_403_before_2025_12() -> None:
    broke = (AccountConfig(name="broke", keys=("sk-broke",), cash_balance=0.0),)
    old = make(api_date="2025-08-01", accounts=broke)
    old.headers["Authorization"] = "Bearer sk-broke"
    status, kind, message = error(old.post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI}))
    assert (status, kind) == (403, "exceeded_current_quota_error")
    assert re.fullmatch(r"Your account (org-[0-9a-f]{32})<ak-[a-z0-9]{20}> is not active, "
                        r"organization <\1> exceeded current quota, please check your plan and "
                        r"billing details", message)
    new = make(accounts=broke)
    new.headers["Authorization"] = "Bearer sk-broke"
    assert new.post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI}).status_code == 429


# -- tool and content checks -------------------------------------------------------------

def tool(name: str = "get_weather", parameters: Any = None) -> dict[str, Any]:
    function: dict[str, Any] = {"name": name}
    if parameters is not None:
        function["parameters"] = parameters
    return {"type": "function", "function": function}


@pytest.mark.parametrize(("extra", "message"), [
    ({"tools": [tool(parameters={"type": "string"})]},
     "Invalid request: tools[0].function.parameters.type must be object"),
    ({"tools": [tool(parameters=[1])]},
     "Invalid request: tools[0].function.parameters must be an object"),
    ({"tools": [tool(), tool("$lookup")]},
     "Invalid request: tools[1].function.name must match pattern ^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"),
    ({"tools": [tool()], "tool_choice": {"type": "function", "function": {"name": "get weather"}}},
     "Invalid request: tool_choice.function.name must match pattern "
     "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"),
])
def test_tool_definitions_follow_the_documented_rules(extra: dict[str, Any], message: str) -> None:
    response = make().post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI, **extra})
    assert error(response) == (400, "invalid_request_error", message)


def test_builtin_web_search_keeps_its_dollar_name() -> None:
    web = {"type": "builtin_function", "function": {"name": "$web_search"}}
    response = make().post(CHAT, json={"model": "kimi-k2.5", "messages": HI, "tools": [web]})
    assert response.status_code == 200


def image(url: Any) -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"type": "image_url", "image_url": url},
                                         {"type": "text", "text": "what is it?"}]}]


@pytest.mark.parametrize(("model", "url", "message"), [
    ("moonshot-v1-8k-vision-preview", {"url": "https://example.com/cat.png"},
     "Invalid request: messages[0].content[0].image_url.url must be a base64 data URL "
     "(data:<mime>;base64,...); moonshot-v1-8k-vision-preview does not fetch image URLs"),
    ("moonshot-v1-8k-vision-preview", {"url": "ms://cnhgqnucp7f5h7jfb3s0"},
     "Invalid request: messages[0].content[0].image_url.url must be a base64 data URL "
     "(data:<mime>;base64,...) for moonshot-v1-8k-vision-preview"),
    ("kimi-k2.5", "http://example.com/cat.png",
     "Invalid request: messages[0].content[0].image_url must be a base64 data URL "
     "(data:<mime>;base64,...) or ms://<file_id>; kimi-k2.5 does not fetch image URLs"),
])
def test_image_urls_per_family(model: str, url: Any, message: str) -> None:
    response = make().post(CHAT, json={"model": model, "messages": image(url)})
    assert error(response) == (400, "invalid_request_error", message)


@pytest.mark.parametrize("model", ["moonshot-v1-8k-vision-preview", "kimi-k2.5"])
def test_base64_images_pass_on_every_vision_family(model: str) -> None:
    assert make().post(CHAT, json={"model": model, "messages": image({"url": PNG})}).status_code == 200


def test_kimi_thinking_preview_takes_no_tools() -> None:
    response = make(api_date="2025-06-01").post(CHAT, json={
        "model": "kimi-thinking-preview", "messages": HI, "tools": [tool()]})
    assert error(response) == (400, "invalid_request_error",
                               "Invalid request: model kimi-thinking-preview does not support tools")


# -- wire details ------------------------------------------------------------------------

def test_balances_print_whole_amounts_as_integers() -> None:
    client = make(accounts=(AccountConfig(name="a", keys=("sk-date",), cash_balance=100.0),))
    raw = client.get("/v1/users/me/balance").content
    assert b'"available_balance":100,"voucher_balance":0,"cash_balance":100}' in raw


def test_web_search_leg_has_no_reasoning_and_one_completion_token() -> None:
    web = {"type": "builtin_function", "function": {"name": "$web_search"}}
    ask = [{"role": "user", "content": "Search the web for today's news"}]  # points at the tool
    body = make().post(CHAT, json={"model": "kimi-k2.5", "messages": ask, "tools": [web]}).json()
    message = body["choices"][0]["message"]
    assert body["choices"][0]["finish_reason"] == "tool_calls" and message["content"] == ""
    assert "reasoning_content" not in message
    assert body["usage"]["completion_tokens"] == 1
    assert "system_fingerprint" not in body


def test_gateway_headers() -> None:
    client = make(tier="Tier3")
    answer = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI})
    headers = answer.headers
    services = client.app.state.services  # type: ignore[attr-defined]
    account = services.auth.authenticate("Bearer sk-date").account
    assert headers["msh-uid"] == account.uid and re.fullmatch(r"[0-9a-v]{20}", headers["msh-uid"])
    assert headers["msh-gid"] == "enterprise-tier-3"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-msh-trace-id"])
    assert headers["server"] == "cloudflare" and headers["vary"] == "Origin"
    assert headers["msh-trace-mode"] == "on"
    unauthenticated = TestClient(client.app).get("/v1/models")
    assert unauthenticated.status_code == 401 and "msh-uid" not in unauthenticated.headers
    old = make(api_date="2024-07-29").get("/v1/models").headers
    assert old["server"] == "nginx" and "x-msh-trace-id" not in old


def test_large_json_answers_are_gzipped_when_accepted() -> None:
    client = make()
    plain = client.get("/v1/models", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    packed = client.get("/v1/models", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers.get_list("vary") == ["Origin", "Accept-Encoding"]
    # httpx has already decompressed it; the raw length is the compressed one
    assert int(packed.headers["content-length"]) < len(plain.content)
    assert orjson.loads(gzip.decompress(gzip.compress(packed.content))) == plain.json()
    small = client.post(ESTIMATE, json={"model": "moonshot-v1-8k", "messages": HI},
                        headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers  # small answers go as they are
    stream = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI, "stream": True},
                         headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in stream.headers
    off = make(gzip_min_bytes=0).get("/v1/models", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in off.headers


# -- tool names by era ----------------------------------------------------------------------

NEW_NAMES = "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"
OLD_NAMES = "^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$"


@pytest.mark.parametrize(("day", "name", "refused_with"), [
    ("2026-09-12", "ab", None), ("2026-09-12", "a", None), ("2026-09-12", "f" * 128, None),
    ("2026-09-12", "f" * 129, NEW_NAMES), ("2026-09-12", "1ab", NEW_NAMES),
    ("2026-09-11", "ab", OLD_NAMES), ("2026-09-11", "abc", None), ("2026-09-11", "f" * 65, OLD_NAMES),
])
def test_function_names_follow_the_pattern_of_the_day(day: str, name: str,
                                                      refused_with: str | None) -> None:
    client = make(api_date=day)
    tool = {"type": "function", "function": {"name": name, "parameters": {"type": "object"}}}
    answer = client.post(CHAT, json={"model": "kimi-k3", "messages": HI, "tools": [tool],
                                     "tool_choice": "none"})
    if refused_with is None:
        assert answer.status_code == 200, answer.text
    else:
        assert error(answer) == (400, "invalid_request_error", "Invalid request: tools[0]."
                                 f"function.name must match pattern {refused_with}")


def test_the_log_line_of_a_discontinued_models_404_names_the_api_date_that_serves_it(
        caplog: pytest.LogCaptureFixture) -> None:
    client = make()  # 2026-11-01
    with caplog.at_level("INFO"):
        client.post(CHAT, json={"model": "kimi-k2-0711-preview", "messages": HI})
        client.post(CHAT, json={"model": "no-such-model", "messages": HI})
    lines = [r.getMessage() for r in caplog.records if "/v1/chat/completions 404" in r.getMessage()]
    assert lines[0].endswith("model=kimi-k2-0711-preview is served with --api-date 2026-05-24")
    assert "served with" not in lines[1]
    assert make(api_date="2026-05-24").post(
        CHAT, json={"model": "kimi-k2-0711-preview", "messages": HI}).status_code == 200
