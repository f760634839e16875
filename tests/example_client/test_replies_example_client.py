"""The example project scripting the fake's answers, once per source of reply rules:
the pytest handle, the control plane, the settings (a config's `reply_rules`) and reply files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
import pytest
from kimi_client import Notes

from mock_server.config import Settings
from mock_server.testing.handle import MoonshotMock

REPLIES = Path(__file__).parent / "replies"


def test_pytest_handle_scripts_an_answer(moonshot_mock: MoonshotMock) -> None:
    moonshot_mock.reply("Paris.", last_user="capital of France")
    notes = Notes(**moonshot_mock.client_kwargs())
    assert notes.ask("What is the capital of France?") == "Paris."
    assert notes.stream("What is the capital of France?") == "Paris."
    assert moonshot_mock.replies_used() == [{"id": "reply-1", "source": "handle", "used": 2}]
    assert [e["reply"] for e in moonshot_mock.calls()] == ["reply-1", "reply-1"]


def test_control_plane_scripts_an_answer_over_http(moonshot_mock: MoonshotMock) -> None:
    control = moonshot_mock.base_url.removesuffix("/v1") + "/_mock/replies"
    rule = {"match": {"last_user": "re:^ping"}, "reply": {"content": "pong"}}
    assert httpx.post(control, json=rule).status_code == 201
    assert Notes(**moonshot_mock.client_kwargs()).ask("ping?") == "pong"


class TestConfiguredReplies:
    @pytest.fixture
    def moonshot_mock_settings(self) -> Settings:
        rules = ({"match": {"last_user": "hello"}, "reply": "Hello from the settings"},)
        from mock_server.config import settings_from_mapping

        return dataclasses.replace(settings_from_mapping({"reply_rules": list(rules)}),
                                   seed=42, clock="virtual")

    def test_config_replies_answer(self, moonshot_mock: MoonshotMock) -> None:
        assert Notes(**moonshot_mock.client_kwargs()).ask("hello") == "Hello from the settings"


class TestReplyFiles:
    @pytest.fixture
    def moonshot_mock_settings(self) -> Settings:
        return Settings(seed=42, clock="virtual", reply_files_dir=REPLIES)

    def test_a_tool_round_trip_from_reply_files(self, moonshot_mock_asgi: MoonshotMock) -> None:
        import openai

        client = openai.OpenAI(**moonshot_mock_asgi.client_kwargs())
        tools = [{"type": "function", "function": {
            "name": "get_weather", "parameters": {"type": "object", "properties": {
                "city": {"type": "string"}}}}}]
        messages: list = [{"role": "user", "content": "What's the weather in Paris?"}]
        first = client.chat.completions.create(model="kimi-k2.6", messages=messages, tools=tools)
        call = first.choices[0].message.tool_calls[0]
        assert (call.function.name, call.function.arguments) == ("get_weather", '{"city":"Paris"}')
        messages += [first.choices[0].message.model_dump(exclude_none=True),
                     {"role": "tool", "tool_call_id": call.id, "content": '{"temp": 21}'}]
        second = client.chat.completions.create(model="kimi-k2.6", messages=messages, tools=tools)
        assert second.choices[0].message.content == "It is sunny in Paris, 21 °C."
        assert [r["id"] for r in moonshot_mock_asgi.replies_used()] == [
            "weather-question", "weather-answer"]
