"""kimi-k3 prompt counts against Moonshot's vendor-conformance suite (MoonshotAI/Kimi-Vendor-
Verifier, k3_features/test_response_format.py, 2026-07): the same raw request bodies, with the
Kimi vocabulary, give its groundtruth `prompt_tokens` — 36 without `response_format`, 119 with
the one-property json_schema — stream and not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings

WITHOUT = r"""{
  "model": "kimi-k3",
  "messages": [
    {"role": "user", "content": "请用 JSON 格式回答：北京是中国的首都吗？答案需要包含键 capital。"}
  ],
  "thinking": {"type": "disabled"}
}"""
WITH = r"""{
  "model": "kimi-k3",
  "messages": [
    {"role": "user", "content": "请用 JSON 格式回答：北京是中国的首都吗？答案需要包含键 capital。"}
  ],
  "response_format": {
    "type": "json_schema",
    "json_schema": {
      "name": "capital_answer",
      "schema": {
        "type": "object",
        "properties": {
          "capital": {"type": "boolean"}
        },
        "required": ["capital"],
        "additionalProperties": false
      }
    }
  },
  "thinking": {"type": "disabled"}
}"""


def prompt_tokens(client: TestClient, raw: str, stream: bool) -> int:
    body: dict[str, Any] = orjson.loads(raw)
    answer = client.post("/v1/chat/completions", json={**body, "stream": stream})
    assert answer.status_code == 200, answer.text
    if not stream:
        return int(answer.json()["usage"]["prompt_tokens"])
    chunks = [orjson.loads(line[6:]) for line in answer.text.split("\n")
              if line.startswith("data: {")]
    return int(chunks[-1]["choices"][0]["usage"]["prompt_tokens"])


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize(("raw", "expected"), [(WITHOUT, 36), (WITH, 119)])
def test_the_vendor_suites_response_format_counts(kimi_vocabulary: Path, raw: str,
                                                  expected: int, stream: bool) -> None:
    client = TestClient(create_app(Settings(seed=1, tokenizer_file=kimi_vocabulary)))
    client.headers["Authorization"] = "Bearer sk-k3"
    assert prompt_tokens(client, raw, stream) == expected


def test_the_default_estimate_comes_close_to_them() -> None:
    client = TestClient(create_app(Settings(seed=1)))
    client.headers["Authorization"] = "Bearer sk-k3"
    assert abs(prompt_tokens(client, WITHOUT, False) - 36) <= 2
    assert abs(prompt_tokens(client, WITH, False) - 119) <= 6
