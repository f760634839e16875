"""The pytest plugin's handle serves `client.responses` unchanged, over a socket and
in-process: create, a stream read to its final event, a scripted reply, the journal."""

from __future__ import annotations

import pytest
from openai import OpenAI

from mock_server.testing.handle import MoonshotMock

RESPONSES = "/v1/responses"


@pytest.fixture(params=["moonshot_mock", "moonshot_mock_asgi"])
def mock(request: pytest.FixtureRequest) -> MoonshotMock:
    handle: MoonshotMock = request.getfixturevalue(request.param)
    return handle


def test_the_handle_serves_client_responses(mock: MoonshotMock) -> None:
    with OpenAI(**mock.client_kwargs()) as client:
        response = client.responses.create(model="kimi-k3", input="hello")
        assert response.status == "completed" and response.output_text
        with client.responses.stream(model="kimi-k3", input="hello") as stream:
            final = stream.get_final_response()
    assert final.output_text == response.output_text
    mock.assert_calls(2, RESPONSES)
    mock.assert_stream_completed(RESPONSES)


def test_a_scripted_reply_through_the_handle(mock: MoonshotMock) -> None:
    rule = mock.reply("Scripted.", last_user="ping")
    with OpenAI(**mock.client_kwargs()) as client:
        assert client.responses.create(model="kimi-k3", input="ping").output_text == "Scripted."
    assert mock.replies_used()[0]["used"] == 1
    assert mock.calls(RESPONSES)[0]["reply"] == rule["id"]
