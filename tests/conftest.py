from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from tests import kimi_vocabulary as kimi_vocabulary_file
from tests.redis_fixture import redis_url  # noqa: F401  (session fixture: a throwaway Redis)

# The suite speaks no TLS: every server it talks to is on loopback, over plain HTTP. Yet each
# HTTP client the SDKs (and their subprocesses) make loads a trust store, and the CA bundle
# (SSL_CERT_FILE, or the system's) is read whole for every client: about 20 ms of CPU each,
# half of the CPU of the SDK tests. An empty directory of certificates is only looked in
# during a TLS handshake: a client costs nothing to make, and a TLS connection would fail.
os.environ.pop("SSL_CERT_FILE", None)
os.environ["SSL_CERT_DIR"] = str(Path(__file__).parent / "data" / "no-certificates")

API_KEY = "sk-test-0123456789"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
KIMI_SYSTEM = (
    "你是 Kimi，由 Moonshot AI 提供的人工智能助手，你更擅长中文和英文的对话。你会为用户提供安全，"
    "有帮助，准确的回答。同时，你会拒绝一切涉及恐怖主义，种族歧视，黄色暴力等问题的回答。"
    "Moonshot AI 为专有名词，不可翻译成其他语言。"
)
CANONICAL_MESSAGES = [
    {"role": "system", "content": KIMI_SYSTEM},
    {"role": "user", "content": "你好，我叫李雷，1+1等于多少？"},
]


@pytest.fixture(scope="session")
def kimi_vocabulary() -> Path:
    """The Kimi K2 vocabulary (not shipped: see tests/kimi_vocabulary.py), or a skip."""
    path = kimi_vocabulary_file.find()
    if path is None:
        pytest.skip(f"the Kimi K2 vocabulary is not here: {kimi_vocabulary_file.HOW}")
    return path


@pytest.fixture
def settings() -> Settings:
    return Settings(seed=7, clock="virtual")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        test_client.headers.update(AUTH)
        yield test_client


def make_client(settings: Settings, **changes: object) -> TestClient:
    test_client = TestClient(create_app(dataclasses.replace(settings, **changes)),
                             raise_server_exceptions=False)
    test_client.headers.update(AUTH)
    return test_client


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """The fake over a real socket, for the real SDK."""
    with serve_in_thread(create_app(Settings(seed=11))) as url:
        yield url
