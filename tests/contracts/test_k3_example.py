"""The contract suite sends the spec's examples: among them a kimi-k3 request with dynamic
tools, effort and json_schema, which the fake answers (its dynamic tools counted by the
estimate too)."""

from __future__ import annotations

from typing import Any

from mock_server.data.spec import load_spec
from tests.conftest import Settings, make_client


def chat_examples() -> dict[str, Any]:
    operation = load_spec().document["paths"]["/v1/chat/completions"]["post"]
    return operation["requestBody"]["content"]["application/json"]["examples"]


def test_a_k3_example_with_dynamic_tools_effort_and_json_schema() -> None:
    k3 = [e["value"] for e in chat_examples().values() if e["value"]["model"] == "kimi-k3"]
    body = next(b for b in k3 if any(m.get("tools") for m in b["messages"])
                and (b.get("thinking") or {}).get("effort")
                and (b.get("response_format") or {}).get("type") == "json_schema")
    client = make_client(Settings(seed=5))
    answer = client.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["choices"][0]["message"]["reasoning_content"]
    def estimate(messages: list[Any]) -> int:
        response = client.post("/v1/tokenizers/estimate-token-count",
                               json={"model": body["model"], "messages": messages})
        return int(response.json()["data"]["total_tokens"])

    without_tools = [m for m in body["messages"] if not m.get("tools")]
    assert estimate(body["messages"]) > estimate(without_tools)  # the declaration is counted
