"""The reference's literal error messages (§9.2 documented table, §9.3 real captures, §9.1 and
§4.7 variants) against the fake: which the fake answers word for word.

Each entry is the reference's text as a pattern: the ids and figures a capture shows (org, key,
user ids, limits, counts) are the fake's own (`{org}`, `{ak}`, `{uid}`, `{proj}`, `{n}` = any
number); every other character must match. `how` says how the fake gets there:

* `behaviour` — the fake's own logic answers it (an `api_date` picks the era of old texts);
* `fault` — only as an injected fault (`X-Mock-Fault: error=...`), the text word for word;
* `none` — not reproduced, with the reason.

Run `python -m tests.http.test_literal_messages` for the table and the counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

CHAT = "/v1/chat/completions"
KEY = "sk-literal"
HI = [{"role": "user", "content": "hi"}]
Trigger = Callable[[], Any]


def fake(key: str = KEY, **settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=1, clock="virtual", **settings)))
    client.headers["Authorization"] = f"Bearer {key}"
    return client


def chat(model: str = "moonshot-v1-8k", messages: Any = None, body: Any = None,
         **settings: Any) -> Trigger:
    def send() -> Any:
        return fake(**settings).post(CHAT, json={"model": model, "messages": messages or HI,
                                                 **(body or {})})
    return send


def limited(kind: str, limit: int, day: str = "", times: int = 1, max_tokens: int = 16) -> Trigger:
    def send() -> Any:
        client = fake(limits={kind: limit}, **({"api_date": day} if day else {}))
        for _ in range(times):
            answer = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI,
                                              "max_tokens": max_tokens})
        return answer
    return send


def broke(day: str = "") -> Trigger:
    account = (AccountConfig(name="broke", keys=(KEY,), cash_balance=0.0),)
    return chat(accounts=account, **({"api_date": day} if day else {}))


def fault(name: str) -> Trigger:
    return lambda: fake().post(CHAT, json={"model": "moonshot-v1-8k", "messages": HI},
                               headers={"X-Mock-Fault": f"error={name}"})


def upload(**settings: Any) -> Trigger:
    def send() -> Any:
        client = fake(**settings)
        data = b"" if settings.get("file_max_count") is None and "file_max_bytes" not in settings \
            else b"x" * 2048
        answer = None
        for _ in range(2):
            answer = client.post("/v1/files", files={"file": ("a.txt", data)},
                                 data={"purpose": "file-extract"})
        return answer
    return send


def failed_extraction() -> Any:
    client = fake()
    made = client.post("/v1/files", files={"file": ("scan.png", b"\x89PNG\r\n\x1a\nnot an image")},
                       data={"purpose": "file-extract"}).json()
    return client.get(f"/v1/files/{made['id']}/content")


def tool_history(model: str) -> list[dict[str, Any]]:
    call = {"id": "functions.f:0", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    return [{"role": "user", "content": "a"}, {"role": "user", "content": "b"},
            {"role": "assistant", "content": "", "tool_calls": [call]},
            {"role": "tool", "tool_call_id": "functions.f:0", "content": "1"},
            {"role": "user", "content": "c"}]


@dataclass(frozen=True)
class Literal:
    where: str  # the reference section and source
    text: str  # the reference's text, with the fake's ids and figures as {placeholders}
    how: str  # behaviour | fault | none
    trigger: Trigger | None = None
    why: str = ""  # for `none`: why the fake does not answer it


N = "{n}"
EMPTY = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
         {"role": "user", "content": "c"}, {"role": "user", "content": "d"},
         {"role": "assistant", "content": ""}]
LITERALS: tuple[Literal, ...] = (
    # §9.2, the documented table (E1/E2)
    Literal("9.2 content_filter", "The request was rejected because it was considered high risk",
            "fault", fault("content_filter")),
    Literal("9.2 invalid_request template", "Invalid request: {detail}", "behaviour",
            chat(body={"temperature": 3})),
    Literal("9.2 input too long", "Input token length too long", "none",
            why="the 2025-2026 captures answer the token-limit text even for a prompt over the "
                "context (kimi-cli#2011); the fake follows them"),
    Literal("9.2 token limit (E1)", "Your request exceeded model token limit : 8192", "behaviour",
            chat(body={"max_tokens": 8190}, api_date="2024-01-15")),
    Literal("9.2 invalid purpose", "Invalid purpose: only 'file-extract' accepted", "none",
            why="the fake accepts the E3/E4 purposes and lists them all; not dated by era yet"),
    Literal("9.2 file too large", "File size is too large, max file size is 1KB, please confirm "
            "and re-upload the file", "behaviour", upload(file_max_bytes=1024)),
    Literal("9.2 file size zero", "File size is zero, please confirm and re-upload the file",
            "behaviour", upload()),
    Literal("9.2 file count", "The number of files you have uploaded exceeded the max file count 1, "
            "please delete previous uploaded files", "behaviour", upload(file_max_count=1)),
    Literal("9.2 401", "Invalid Authentication", "behaviour", lambda: fake(key="").get("/v1/models")),
    Literal("9.2 401 key", "Incorrect API key provided", "fault", fault("incorrect_api_key")),
    Literal("9.2 403 not active (E1)", "Your account {uid}<{ak}> is not active, current state: "
            "{state}, you may consider to check your account balance", "none",
            why="{current state} has no known value; the fake answers the 2025-07 capture instead"),
    Literal("9.2 403 not open", "The API you are accessing is not open", "fault",
            fault("permission_denied")),
    Literal("9.2 403 user info", "You are not allowed to get other user info", "none",
            why="the fake has no endpoint that reads another user"),
    Literal("9.2 404 model (E1)", "Not found the model or Permission denied", "none",
            why="the 2026-07 capture names the model; the fake follows it"),
    Literal("9.2 404 user", "Users {uid} not found", "none", why="no endpoint reads a user by id"),
    Literal("9.2 429 overloaded", "The engine is currently overloaded, please try again later",
            "behaviour", chat(overload_schedule="1")),
    Literal("9.2 429 token quota", "You exceeded your current token quota: {n}, please check your "
            "account balance", "none", why="superseded by the 2025-2026 quota captures"),
    Literal("9.2 429 concurrency (E1)", "Your account {uid}<{ak}> request reached max concurrency: "
            "0, please try again after 1 seconds", "behaviour",
            limited("concurrency", 0, "2024-01-15")),
    Literal("9.2 429 RPM (E2 spelling)", "Your account {uid}<{ak}> request reached max request: 0, "
            "please try again after 1 seconds", "behaviour", limited("rpm", 0, "2024-01-15")),
    Literal("9.2 429 TPM (E1)", "Your account {uid}<{ak}> request reached TPM rate limit, "
            "current:{n}, limit:10", "behaviour", limited("tpm", 10, "2024-01-15")),
    Literal("9.2 429 TPD (E1)", "Your account {uid}<{ak}> request reached TPD rate limit,"
            "current:{n}, limit:10", "behaviour", limited("tpd", 10, "2024-01-15")),
    Literal("9.2 500 extract", "Failed to extract file: {detail}", "behaviour", failed_extraction),
    Literal("9.2 500 unexpected_output", "invalid state transition", "fault",
            fault("unexpected_output")),
    # §9.3, real captures
    Literal("9.3 2024-04 max length", "model max length exceeded, max length:8192", "behaviour",
            chat(body={"max_tokens": 8190}, api_date="2024-04-15")),
    Literal("9.3 2025-03 token limit", "Invalid request: Your request exceeded model token limit: "
            "8192", "behaviour", chat(body={"max_tokens": 8190})),
    Literal("9.3 2026-04 token limit k2.5", "Invalid request: Your request exceeded model token "
            "limit: 262144 (requested: {n})", "behaviour",
            chat("kimi-k2.5", body={"max_tokens": 262144})),
    Literal("9.3 2025-01 empty message", "Invalid request: the message at position 4 with role "
            "'assistant' must not be empty", "behaviour", chat(messages=EMPTY)),
    Literal("9.3 reasoning_content missing", "thinking is enabled but reasoning_content is missing "
            "in assistant tool call message at index 2", "behaviour",
            chat("kimi-k2.5", tool_history("kimi-k2.5"))),
    Literal("9.3 temperature only 1", "invalid temperature: only 1 is allowed for this model",
            "behaviour", chat("kimi-k3", body={"temperature": 0.5})),
    Literal("9.3 temperature only 0.6", "invalid temperature: only 0.6 is allowed for this model",
            "behaviour", chat("kimi-k2.5", body={"temperature": 1.0, "thinking": {"type": "disabled"}})),
    Literal("9.3 top_p only 0.95", "invalid top_p: only 0.95 is allowed for this model",
            "behaviour", chat("kimi-k2.5", body={"top_p": 0.5})),
    Literal("9.3 401 body", "Invalid Authentication", "behaviour",
            lambda: fake(key="bad").get("/v1/models")),
    Literal("9.3 2025-07 403 quota", "Your account {org}<{ak}> is not active, organization <{org}> "
            "exceeded current quota, please check your plan and billing details", "behaviour",
            broke("2025-08-01")),
    Literal("9.3 2026-07 404", "Not found the model kimi-k2-0711-preview or Permission denied",
            "behaviour", chat("kimi-k2-0711-preview")),
    Literal("9.3 429 suspended", "Your account {org} <{ak}> is suspended due to insufficient "
            "balance, please recharge your account or check your plan and billing details",
            "behaviour", broke()),
    Literal("9.3 forum quota", "You exceeded your current quota, please check your plan and "
            "billing details", "none", why="a staff quote on a forum, not a captured answer"),
    Literal("9.3 429 overloaded", "The engine is currently overloaded, please try again later",
            "behaviour", chat(overload_schedule="1")),
    Literal("9.3 2024-04 RPM", "max request per minute reached: 0, please try again after 1 seconds",
            "behaviour", limited("rpm", 0, "2024-04-15")),
    Literal("9.3 2024-05 RPM", "Your account {uid} request reached max request: 0, please try "
            "again after 1 seconds", "behaviour", limited("rpm", 0, "2024-06-01")),
    Literal("9.3 2025-07 org rate limit", "Organization Rate limit exceeded, please try again after "
            "1 seconds", "none", why="the limit that answers it is unknown"),
    Literal("9.3 2025-07 concurrency", "Your account {org}<{ak}> request reached max organization "
            "concurrency: 0, please try again after 1 seconds", "behaviour",
            limited("concurrency", 0)),
    Literal("9.3 2025-07 RPM", "Your account {org}<{ak}> request reached organization max RPM: 0, "
            "please try again after 1 seconds", "behaviour", limited("rpm", 0)),
    Literal("9.3 2025-08 project TPM", "Your account {org} / {proj} <{ak}> request reached project "
            "TPM rate limit, current: {n}, limit: 10, see "
            "https://platform.moonshot.cn/docs/pricing/limits", "behaviour", limited("tpm", 10)),
    Literal("9.3 2025-11 TPD", "Your account {org} / {proj} <{ak}> request reached organization "
            "TPD rate limit, current: {n}, limit: 10", "behaviour", limited("tpd", 10)),
    Literal("9.3 2026-03 RPM", "Your account {org}<{ak}> request reached organization max RPM: 1, "
            "please try again after 1 seconds", "behaviour", limited("rpm", 1, times=2)),
    Literal("9.3 Kimi Code", "We're receiving too many requests at the moment. Please wait a moment "
            "and try again.", "none", why="seen on the Kimi Code product, not the Open Platform"),
    # §9.1 and §4.7 variants
    Literal("9.1 content_filter (BettaFish)", "The request was rejected because it was considered "
            "high risk", "fault", fault("content_filter")),
    Literal("4.7 2024 extract failure", "extract task failed: failed", "none",
            why="the fake answers the documented 500 `Failed to extract file: {error}` (type "
                "server_error) rather than the 2024 capture's empty type"),
)

_PLACEHOLDERS = {"{org}": r"org-[0-9a-f]{32}", "{proj}": r"proj-[0-9a-f]{32}",
                 "{ak}": r"ak-[a-z0-9]{20}", "{uid}": r"[0-9a-v]{20}", "{n}": r"\d+",
                 "{detail}": r".+", "{state}": r".+"}


def pattern(text: str) -> re.Pattern[str]:
    regex = re.escape(text)
    for name, part in _PLACEHOLDERS.items():
        regex = regex.replace(re.escape(name), part)
    return re.compile(regex)


def answered(literal: Literal) -> str:
    assert literal.trigger is not None
    response = literal.trigger()
    assert response.status_code >= 400, response.text
    return str(response.json()["error"]["message"])


def reproduced(literal: Literal) -> bool:
    return literal.trigger is not None and bool(pattern(literal.text).fullmatch(answered(literal)))


@pytest.mark.parametrize("literal", [lit for lit in LITERALS if lit.how != "none"],
                         ids=lambda lit: lit.where)
def test_the_fake_answers_the_literal_word_for_word(literal: Literal) -> None:
    message = answered(literal)
    assert pattern(literal.text).fullmatch(message), f"{literal.where}: {message!r}"


def test_the_count() -> None:
    counts = {how: sum(1 for lit in LITERALS if lit.how == how) for how in ("behaviour", "fault", "none")}
    assert len(LITERALS) == 48
    assert counts == {"behaviour": 32, "fault": 5, "none": 11}
    assert all(lit.why for lit in LITERALS if lit.how == "none")


def main() -> None:
    exact = {"behaviour": 0, "fault": 0}
    for literal in LITERALS:
        ok = literal.how != "none" and reproduced(literal)
        if ok:
            exact[literal.how] += 1
        note = literal.why if literal.how == "none" else ("exact" if ok else "DIFFERS")
        print(f"{'yes' if ok else ' no'}  {literal.how:9}  {literal.where:32}  {note}")
    print(f"\n{sum(exact.values())} of {len(LITERALS)} literal messages reproduced exactly: "
          f"{exact['behaviour']} by the fake's own behaviour, {exact['fault']} as injected faults")


if __name__ == "__main__":
    main()
