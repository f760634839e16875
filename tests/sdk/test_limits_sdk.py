"""The real `openai` SDK against the fake's 429s: its own retries count against RPM."""

from __future__ import annotations

import openai
import pytest
from openai import OpenAI
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread

MESSAGES = [{"role": "user", "content": "hi"}]


class Counted:
    """Counts the chat requests that reach the server (each SDK attempt is one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.chats = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/v1/chat/completions":
            self.chats += 1
        await self.app(scope, receive, send)


def test_sdk_retries_an_overloaded_engine_and_each_retry_counts_against_rpm() -> None:
    app = create_app(Settings(seed=4, overload_schedule="1,2", limits={"rpm": 3}))
    with serve_in_thread(app) as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="sk-sdk-retries", max_retries=2)
        completion = client.chat.completions.create(model="moonshot-v1-8k", messages=MESSAGES)
        assert completion.choices[0].message.content
        assert app.state.services.admission.overload.count == 3  # two 429s, then a 200
        # One call of the SDK used the whole Tier0-sized minute: the next one is refused.
        with pytest.raises(openai.RateLimitError) as refused:
            client.with_options(max_retries=0).chat.completions.create(
                model="moonshot-v1-8k", messages=MESSAGES)
    assert refused.value.status_code == 429
    assert refused.value.body["type"] == "rate_limit_reached_error"  # type: ignore[index]
    assert "request reached organization max RPM: 3, please try again after" in str(
        refused.value)


def test_sdk_retries_a_rate_limit_and_gives_up_with_the_real_error() -> None:
    counted = Counted(create_app(Settings(seed=4, limits={"rpm": 1})))
    with serve_in_thread(counted) as url:
        client = OpenAI(base_url=f"{url}/v1", api_key="sk-sdk-limited", max_retries=1)
        client.chat.completions.create(model="moonshot-v1-8k", messages=MESSAGES)
        with pytest.raises(openai.RateLimitError, match="organization max RPM: 1"):
            client.chat.completions.create(model="moonshot-v1-8k", messages=MESSAGES)
    assert counted.chats == 3  # 1 + the refused call and the SDK's own retry of it
