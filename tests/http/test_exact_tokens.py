"""Exact mode end to end: with `tokenizer_file` the estimate endpoint, `usage`, the context
window and the TPM limit all use the vocabulary's counts (skipped where it is absent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.accounts.limits import project_id
from mock_server.app import create_app
from mock_server.config import ConfigError, Settings, load_settings
from tests.conftest import AUTH, CANONICAL_MESSAGES

CHAT = "/v1/chat/completions"
ESTIMATE = "/v1/tokenizers/estimate-token-count"


def make(vocabulary: Path, **settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(seed=3, clock="virtual", tokenizer_file=vocabulary,
                                            **settings)), raise_server_exceptions=False)
    client.headers.update(AUTH)
    return client


def chat(max_tokens: int) -> dict[str, Any]:
    return {"model": "moonshot-v1-8k", "messages": CANONICAL_MESSAGES, "max_tokens": max_tokens}


def test_the_estimate_is_80_and_the_chat_83(kimi_vocabulary: Path) -> None:
    client = make(kimi_vocabulary)
    estimate = client.post(ESTIMATE, json={"model": "moonshot-v1-8k", "messages": CANONICAL_MESSAGES})
    assert estimate.json() == {"data": {"total_tokens": 80}}
    usage = client.post(CHAT, json=chat(16)).json()["usage"]
    assert usage["prompt_tokens"] == 83
    alone = client.post(CHAT, json={"model": "moonshot-v1-8k", "messages": CANONICAL_MESSAGES[1:]})
    assert alone.json()["usage"]["prompt_tokens"] == 19


def test_the_context_window_counts_the_same_83(kimi_vocabulary: Path) -> None:
    client = make(kimi_vocabulary)
    assert client.post(CHAT, json=chat(8192 - 83)).status_code == 200
    over = client.post(CHAT, json=chat(8192 - 82))
    assert over.status_code == 400
    assert over.json() == {"error": {
        "message": "Invalid request: Your request exceeded model token limit: 8192",
        "type": "invalid_request_error"}}


def test_the_tpm_limit_counts_the_same_83(kimi_vocabulary: Path) -> None:
    client = make(kimi_vocabulary, limits={"tpm": 2 * (83 + 100) - 1})
    caller = client.app.state.services.auth.authenticate(AUTH["Authorization"])  # type: ignore[attr-defined]
    assert client.post(CHAT, json=chat(100)).status_code == 200
    second = client.post(CHAT, json=chat(100))
    assert second.status_code == 429
    assert second.json()["error"]["message"] == (
        f"Your account {caller.account.id} / {project_id(caller.account.name)} <{caller.key_id}> "
        f"request reached project TPM rate limit, current: {2 * (83 + 100)}, "
        f"limit: {2 * (83 + 100) - 1}, see https://platform.moonshot.cn/docs/pricing/limits")


def test_the_setting_from_flags_env_and_its_errors(kimi_vocabulary: Path, tmp_path: Path) -> None:
    env = {"MOONSHOT_MOCK_TOKENIZER_FILE": str(kimi_vocabulary)}
    assert load_settings(env=env).tokenizer_file == kimi_vocabulary
    with pytest.raises(ConfigError, match="--tokenizer-file: no such file"):
        load_settings({"tokenizer_file": str(tmp_path / "missing.model")}, env={})
    garbage = tmp_path / "garbage.model"
    garbage.write_text("not a vocabulary\n")
    with pytest.raises(ConfigError, match="cannot read a tiktoken vocabulary"):
        load_settings({"tokenizer_file": str(garbage)}, env={})
