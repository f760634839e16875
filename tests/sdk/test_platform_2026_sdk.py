"""The 2026 platform's chat surface through the real `openai` SDK over a socket: logprobs as
the SDK parses them (stream and not), and request signatures verified through the endpoint."""

from __future__ import annotations

import uuid

import pytest
from openai import OpenAI

from tests.conftest import API_KEY

MESSAGES = [{"role": "user", "content": "Name a river."}]


@pytest.fixture
def sdk(live_url: str) -> OpenAI:
    return OpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0,
                  _strict_response_validation=True)


def test_logprobs_through_the_sdk(sdk: OpenAI) -> None:
    answer = sdk.chat.completions.create(model="kimi-k2.6", messages=MESSAGES, logprobs=True,
                                         top_logprobs=2, extra_body={"thinking": {"type": "disabled"}})
    choice = answer.choices[0]
    assert choice.logprobs is not None and choice.logprobs.content
    assert "".join(t.token for t in choice.logprobs.content) == choice.message.content
    assert all(len(t.top_logprobs) == 2 and t.logprob <= 0 for t in choice.logprobs.content)
    assert len(choice.logprobs.content) == answer.usage.completion_tokens


def test_logprobs_in_stream_chunks_through_the_sdk(sdk: OpenAI) -> None:
    stream = sdk.chat.completions.create(model="kimi-k2.6", messages=MESSAGES, logprobs=True,
                                         stream=True, extra_body={"thinking": {"type": "disabled"}})
    text, tokens = "", ""
    for chunk in stream:
        for choice in chunk.choices:
            text += choice.delta.content or ""
            if choice.logprobs is not None:
                tokens += "".join(t.token for t in choice.logprobs.content or ())
    assert text and tokens == text


@pytest.mark.parametrize("stream", [False, True])
def test_a_signed_answer_verifies_through_the_endpoint(sdk: OpenAI, stream: bool) -> None:
    nonce = str(uuid.uuid4())
    raw = sdk.chat.completions.with_raw_response.create(
        model="kimi-k3", messages=MESSAGES, stream=stream,
        extra_headers={"X-Msh-Request-Nonce": nonce})
    timestamp = int(raw.headers["msh-request-timestamp"])
    signature = raw.headers["msh-request-signature"]
    raw.parse()
    values = {"nonce": nonce, "timestamp": timestamp, "model": "kimi-k3", "signature": signature}
    assert sdk.post("/signatures/verify", body=values, cast_to=object) == {"valid": True}
    forged = {**values, "model": "kimi-k2.6"}
    assert sdk.post("/signatures/verify", body=forged, cast_to=object) == {"valid": False}
