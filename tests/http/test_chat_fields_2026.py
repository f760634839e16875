"""The chat fields of the 2026 docs (reference §17.4): logprobs and top_logprobs in JSON and in
stream chunks, Predicted Outputs, the prompt-cache fields and the safety identifier validated
and accepted, and the output budget's default per family."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.chat.rules import max_output_tokens
from mock_server.config import Settings
from mock_server.data.catalogue import load_catalogue

CHAT = "/v1/chat/completions"
BODY = {"model": "kimi-k2.6", "messages": [{"role": "user", "content": "Tell me about rivers."}],
        "thinking": {"type": "disabled"}}


def make(**settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(**{"seed": 5, "clock": "virtual", **settings})))
    client.headers["Authorization"] = "Bearer sk-fields"
    return client


def streamed(client: TestClient, body: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post(CHAT, json={**body, "stream": True})
    assert answer.status_code == 200
    events = [line[6:] for line in answer.text.split("\n") if line.startswith("data: ")]
    return [orjson.loads(event) for event in events if event != "[DONE]"]


def test_logprobs_give_one_entry_per_content_token() -> None:
    answer = make().post(CHAT, json={**BODY, "logprobs": True, "top_logprobs": 3}).json()
    choice = answer["choices"][0]
    entries = choice["logprobs"]["content"]
    assert len(entries) == answer["usage"]["completion_tokens"]
    assert "".join(e["token"] for e in entries) == choice["message"]["content"]
    for entry in entries:
        assert bytes(entry["bytes"]) == entry["token"].encode()
        assert entry["logprob"] <= 0
        tops = entry["top_logprobs"]
        assert len(tops) == 3 and tops[0]["token"] == entry["token"]
        assert [t["logprob"] for t in tops] == sorted((t["logprob"] for t in tops), reverse=True)
        assert len({t["token"] for t in tops}) == 3


def test_logprobs_are_deterministic_and_the_stream_carries_the_same_entries() -> None:
    body = {**BODY, "logprobs": True, "top_logprobs": 2}
    first = make().post(CHAT, json=body).json()
    again = make().post(CHAT, json=body).json()
    assert first["choices"][0]["logprobs"] == again["choices"][0]["logprobs"]
    chunks = streamed(make(), body)
    entries = [e for chunk in chunks for choice in chunk["choices"]
               for e in (choice.get("logprobs") or {}).get("content", [])]
    assert entries == first["choices"][0]["logprobs"]["content"]
    for chunk in chunks:
        for choice in chunk["choices"]:
            if choice["delta"].get("content"):
                assert "".join(e["token"] for e in choice["logprobs"]["content"]) == \
                    choice["delta"]["content"]


def test_no_logprobs_unless_asked() -> None:
    answer = make().post(CHAT, json={**BODY, "logprobs": False}).json()
    assert "logprobs" not in answer["choices"][0]
    assert all("logprobs" not in c for chunk in streamed(make(), BODY) for c in chunk["choices"])


def test_top_logprobs_zero_gives_empty_alternatives() -> None:
    answer = make().post(CHAT, json={**BODY, "logprobs": True, "top_logprobs": 0}).json()
    assert all(e["top_logprobs"] == [] for e in answer["choices"][0]["logprobs"]["content"])


@pytest.mark.parametrize(("extra", "message"), [
    ({"top_logprobs": 2}, "Invalid request: top_logprobs requires logprobs to be true"),
    ({"logprobs": True, "top_logprobs": 21},
     "Invalid request: top_logprobs must be less than or equal to 20"),
    ({"logprobs": True, "top_logprobs": -1},
     "Invalid request: top_logprobs must be greater than or equal to 0"),
    ({"logprobs": "yes"}, "Invalid request: logprobs must be a boolean or null"),
    ({"prediction": {"type": "text", "content": "x"}}, "prediction"),
    ({"prediction": {"type": "content"}}, "prediction"),
    ({"prompt_cache_key": 7}, "Invalid request: prompt_cache_key must be a string or null"),
    ({"safety_identifier": ["u"]}, "Invalid request: safety_identifier must be a string or null"),
    ({"prompt_cache_options": {"ttl": "2h"}}, "prompt_cache_options"),
    ({"prompt_cache_options": {"mode": "explicit"}}, "prompt_cache_options"),
])
def test_the_2026_fields_are_validated(extra: dict[str, Any], message: str) -> None:
    answer = make().post(CHAT, json={**BODY, **extra})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert message in error["message"]


def test_the_2026_fields_are_accepted() -> None:
    extra = {"prediction": {"type": "content", "content": [{"type": "text", "text": "Rivers."}]},
             "prompt_cache_key": "session-42", "safety_identifier": "user-hash-1",
             "prompt_cache_options": {"mode": "implicit", "ttl": "1h"},
             "max_completion_tokens": 64}
    answer = make().post(CHAT, json={**BODY, **extra})
    assert answer.status_code == 200, answer.text
    assert make().post(CHAT, json={**BODY, "prediction": {"type": "content", "content": "x"},
                                   "prompt_cache_options": None}).status_code == 200


@pytest.mark.parametrize(("model", "default"), [
    ("kimi-k3", 131072), ("kimi-k2.6", 32768), ("kimi-k2.7-code", 32768), ("kimi-k2.5", 32768),
    ("moonshot-v1-8k", 1024),
])
def test_max_completion_tokens_defaults_per_family(model: str, default: int) -> None:
    entry = load_catalogue().models[model]
    assert max_output_tokens({}, entry) == default
    assert max_output_tokens({"max_completion_tokens": 9}, entry) == 9


def test_with_a_vocabulary_the_entries_are_its_tokens(kimi_vocabulary: Any) -> None:
    from mock_server.chat.vocab import load_splitter
    body = {**BODY, "messages": [{"role": "user", "content": "讲讲长江。"}],
            "logprobs": True, "top_logprobs": 1}
    answer = make(tokenizer_file=kimi_vocabulary).post(CHAT, json=body).json()
    content = answer["choices"][0]["message"]["content"]
    entries = answer["choices"][0]["logprobs"]["content"]
    assert [bytes(e["bytes"]) for e in entries] == load_splitter(kimi_vocabulary)(content)
    assert b"".join(bytes(e["bytes"]) for e in entries) == content.encode()
    chunks = streamed(make(tokenizer_file=kimi_vocabulary), body)
    assert [e for chunk in chunks for c in chunk["choices"]
            for e in (c.get("logprobs") or {}).get("content", [])] == entries
