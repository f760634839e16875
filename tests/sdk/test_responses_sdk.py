"""The Responses door through the real `openai` SDK's `client.responses` over a real socket:
create, streams (raw and the SDK's accumulator), parse, a function-call round trip, web search,
the output budget, every refusal, a scripted reply, a fault, a cut stream, and the request
Codex sends. Responses are validated strictly by the SDK."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI
from pydantic import BaseModel

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from mock_server.testing.handle import MoonshotMock
from tests.conftest import API_KEY

MODEL = "kimi-k3"
WEATHER = {"type": "function", "name": "get_weather", "description": "Get the weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                          "required": ["city"], "additionalProperties": False}}
RESPONSES = "/v1/responses"


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Any]]:
    app = create_app(Settings(seed=11, clock="virtual", api_date="2026-09-03"))
    with serve_in_thread(app) as url:
        yield f"{url}/v1", app


@pytest.fixture
def mock(server: tuple[str, Any]) -> MoonshotMock:
    url, app = server
    mock = MoonshotMock.of(app, url, API_KEY)
    mock.control.clear_journal()
    mock.clear_faults()
    mock.clear_replies()
    return mock


@pytest.fixture
def sdk(mock: MoonshotMock) -> Iterator[OpenAI]:
    with OpenAI(base_url=mock.base_url, api_key=API_KEY, max_retries=0,
                _strict_response_validation=True) as client:
        yield client


def same_answer(a: Any, b: Any) -> None:
    """Two answers to one request agree in all but their ids and times."""
    def shape(response: Any) -> Any:
        data = response.model_dump(exclude_none=True)
        for item in data["output"]:
            item.pop("id")
        for key in ("id", "created_at", "completed_at"):
            data.pop(key)
        return data
    assert shape(a) == shape(b)


def test_create(sdk: OpenAI) -> None:
    response = sdk.responses.create(model=MODEL, input="Explain context caching in one sentence.",
                                    instructions="You are Kimi.")
    assert response.id.startswith("resp_") and response.status == "completed"
    assert [item.type for item in response.output] == ["reasoning", "message"]
    assert response.output_text and response.instructions == "You are Kimi."
    usage = response.usage
    assert usage is not None
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens
    assert 0 < usage.output_tokens_details.reasoning_tokens < usage.output_tokens
    assert response.store is False and response.previous_response_id is None
    assert (response.background, response.conversation) == (False, None)


def test_stream_true_ends_with_the_non_stream_answer(sdk: OpenAI) -> None:
    plain = sdk.responses.create(model=MODEL, input="Tell me about tea.")
    events = list(sdk.responses.create(model=MODEL, input="Tell me about tea.", stream=True))
    assert [e.sequence_number for e in events] == list(range(len(events)))
    assert events[0].type == "response.created" and events[-1].type == "response.completed"
    text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
    assert text == plain.output_text
    same_answer(events[-1].response, plain)


def test_the_sdk_stream_helper(sdk: OpenAI) -> None:
    plain = sdk.responses.create(model=MODEL, input="Tell me about rivers.")
    with sdk.responses.stream(model=MODEL, input="Tell me about rivers.") as stream:
        deltas = [e.delta for e in stream if e.type == "response.output_text.delta"]
        final = stream.get_final_response()
    assert "".join(deltas) == final.output_text == plain.output_text
    same_answer(final, plain)


class City(BaseModel):
    city: str
    country: str
    population: int


def test_parse_with_a_pydantic_model(sdk: OpenAI) -> None:
    parsed = sdk.responses.parse(model=MODEL, input="Give me a city.", text_format=City)
    assert isinstance(parsed.output_parsed, City)
    assert json.loads(parsed.output_text) == parsed.output_parsed.model_dump()


def test_a_function_call_round_trip(sdk: OpenAI) -> None:
    question = [{"role": "user", "content": "What is the weather in Beijing today?"}]
    first = sdk.responses.create(model=MODEL, input=question, tools=[WEATHER])
    calls = [item for item in first.output if item.type == "function_call"]
    assert [item.type for item in first.output] == ["reasoning", "function_call"]
    assert calls[0].call_id == "get_weather_0" and calls[0].name == "get_weather"
    assert set(json.loads(calls[0].arguments)) == {"city"}
    follow_up = [*question, *[item.model_dump(exclude_none=True) for item in first.output],
                 {"type": "function_call_output", "call_id": calls[0].call_id,
                  "output": "Sunny, 25°C"}]
    second = sdk.responses.create(model=MODEL, input=follow_up, tools=[WEATHER])
    assert [item.type for item in second.output] == ["reasoning", "message"]
    assert second.usage is not None and first.usage is not None
    assert second.usage.input_tokens > first.usage.input_tokens


def test_web_search_runs_on_the_server(sdk: OpenAI) -> None:
    asked = {"model": MODEL, "input": "What are the top news stories today?",
             "tools": [{"type": "web_search"}]}
    plain = sdk.responses.create(**asked, include=["web_search_call.action.sources"])
    search = plain.output[0]
    assert search.type == "web_search_call" and search.status == "completed"
    assert search.action.type == "search" and search.action.query == "top news September 3 2026"
    assert search.action.sources and search.action.sources[0].url.startswith("https://example.")
    assert [item.type for item in plain.output[1:]] == ["reasoning", "message"]
    quiet = sdk.responses.create(model=MODEL, input="Say hello.", tools=[{"type": "web_search"}])
    assert [item.type for item in quiet.output] == ["reasoning", "message"]
    assert plain.usage is not None and quiet.usage is not None
    assert plain.usage.input_tokens > quiet.usage.input_tokens + 20  # the results were read
    events = [e.type for e in sdk.responses.create(**asked, stream=True)]
    assert events[3:6] == ["response.web_search_call.in_progress",
                           "response.web_search_call.searching",
                           "response.web_search_call.completed"]


def test_max_output_tokens_ends_incomplete(sdk: OpenAI) -> None:
    response = sdk.responses.create(model=MODEL, input="Write an essay.", max_output_tokens=16)
    assert response.status == "incomplete"
    assert response.incomplete_details is not None
    assert response.incomplete_details.reason == "max_output_tokens"
    assert response.usage is not None and response.usage.output_tokens == 16
    events = list(sdk.responses.create(model=MODEL, input="Write an essay.",
                                       max_output_tokens=16, stream=True))
    assert events[-1].type == "response.incomplete"


REFUSALS = [
    ({"model": "kimi-k2.6"}, "Invalid request: model kimi-k2.6 is not supported by the Responses "
     "API, which currently supports kimi-k3"),
    ({"tools": [{**WEATHER, "defer_loading": True}]}, "tools.0.defer_loading is not supported"),
    ({"tools": [{"type": "web_search", "search_context_size": "low"}]},
     "tools.0.search_context_size is not supported"),
    ({"tools": [{"type": "web_search", "blocked_domains": ["a.com"]}]},
     "tools.0.blocked_domains is not supported"),
    ({"tools": [{"type": "web_search", "filters": {"blocked_domains": ["a.com"]}}]},
     "tools.0.filters.blocked_domains is not supported"),
    ({"tools": [{"type": "web_search"}, {"type": "web_search"}]},
     "Invalid request: tools.1: only one web_search tool is allowed per request"),
    ({"tools": [{"type": "file_search", "vector_store_ids": ["v"]}]},
     "Invalid request: tools[0].type must be one of function, namespace, custom, web_search"),
    ({"tools": [{"type": "custom", "name": "shell",
                 "format": {"type": "grammar", "syntax": "lark", "definition": "start: /.+/"}}]},
     "Invalid request: tools[0].name must be apply_patch"),
    ({"tool_choice": "required"}, "Invalid request: tool_choice must be one of auto, null"),
    ({"previous_response_id": "resp_1"}, "Invalid request: previous_response_id is not "
     "supported: this endpoint is stateless (responses are not stored)"),
    ({"max_output_tokens": 2_000_000},
     "Invalid request: max_output_tokens must be less than or equal to 1048576"),
]


@pytest.mark.parametrize(("fields", "message"), REFUSALS)
def test_each_refusal(sdk: OpenAI, fields: dict[str, Any], message: str) -> None:
    body = {"model": MODEL, "input": "hi", **fields}
    with pytest.raises(openai.BadRequestError) as caught:
        sdk.responses.create(**body)
    assert caught.value.status_code == 400
    assert caught.value.body == {"message": message, "type": "invalid_request_error"}


def test_an_unknown_model_is_not_found(sdk: OpenAI) -> None:
    with pytest.raises(openai.NotFoundError):
        sdk.responses.create(model="gpt-5", input="hi")


def test_a_scripted_reply_answers_here_too(mock: MoonshotMock, sdk: OpenAI) -> None:
    mock.reply("Scripted words.")
    response = sdk.responses.create(model=MODEL, input="hi")
    assert response.output_text == "Scripted words."
    mock.clear_replies()
    mock.reply(tool_calls=[{"name": "get_weather", "arguments": {"city": "Paris"}}])
    called = sdk.responses.create(model=MODEL, input="hi", tools=[WEATHER])
    call = called.output[-1]
    assert call.type == "function_call" and call.arguments == '{"city":"Paris"}'
    assert call.call_id == "get_weather_0"


def test_a_fault(sdk: OpenAI) -> None:
    with pytest.raises(openai.RateLimitError) as caught:
        sdk.responses.create(model=MODEL, input="hi", extra_headers={"X-Mock-Fault": "error=rate_limit_rpm"})
    assert caught.value.status_code == 429
    assert caught.value.body["type"] == "rate_limit_reached_error"  # type: ignore[index]


def test_a_cut_stream_raises(sdk: OpenAI, mock: MoonshotMock) -> None:
    with pytest.raises(openai.APIConnectionError):
        for _ in sdk.responses.create(model=MODEL, input="hi", stream=True,
                                      extra_headers={"X-Mock-Fault": "cut_after=3"}):
            pass
    assert mock.calls(RESPONSES)[0]["stream"]["cut"] is True


def test_stream_faults_act_on_this_doors_frames(sdk: OpenAI, mock: MoonshotMock) -> None:
    def streamed(fault: str) -> list[Any]:
        return list(sdk.responses.create(model=MODEL, input="hi", stream=True,
                                         extra_headers={"X-Mock-Fault": fault}))
    plain = streamed("ttft=1ms")
    no_final = streamed("no_done")
    assert [e.type for e in no_final] == [e.type for e in plain[:-1]]
    assert no_final[-1].type == "response.output_item.done"
    with pytest.raises(AssertionError, match="did not reach"):
        mock.assert_stream_completed(RESPONSES)
    doubled = streamed("duplicate=3")
    assert len(doubled) == len(plain) + 1
    assert doubled[2].sequence_number == doubled[3].sequence_number == 2


def test_a_scripted_error_answers_in_this_doors_envelope(mock: MoonshotMock, sdk: OpenAI) -> None:
    mock.reply(error="error=rate_limit_rpm")
    with pytest.raises(openai.RateLimitError) as caught:
        sdk.responses.create(model=MODEL, input="hi")
    assert caught.value.body["type"] == "rate_limit_reached_error"  # type: ignore[index]
    assert mock.calls(RESPONSES)[0]["reply"] is not None


def codex_request() -> dict[str, Any]:
    """What Codex sends on its second turn (§17.3 [OBS]): developer and user messages, a
    reasoning item with its (null) encrypted content, a shell call and its output; function,
    namespace, apply_patch and web_search tools; its fixed settings."""
    shell = {"type": "function", "name": "shell", "description": "Runs a shell command.",
             "strict": False, "parameters": {"type": "object", "properties": {
                 "command": {"type": "array", "items": {"type": "string"}},
                 "workdir": {"type": "string"}}, "required": ["command"],
                 "additionalProperties": False}}
    patch = {"type": "custom", "name": "apply_patch", "description": "Edit files.",
             "format": {"type": "grammar", "syntax": "lark",
                        "definition": 'start: "*** Begin Patch" LF "*** End Patch"'}}
    mcp = {"type": "namespace", "name": "mcp__docs", "description": "Docs server.",
           "tools": [{"type": "function", "name": "search_docs", "parameters": {
               "type": "object", "properties": {"q": {"type": "string"}}}}]}
    return {
        "model": MODEL, "instructions": "You are Codex, a coding agent.",
        "input": [
            {"type": "message", "role": "developer",
             "content": [{"type": "input_text", "text": "<permissions>workspace-write</permissions>"}]},
            {"type": "message", "role": "user",
             "content": [{"type": "input_text", "text": "List the files here."}]},
            {"type": "reasoning", "id": "rs_1", "summary": [], "content": None,
             "encrypted_content": None},
            {"type": "function_call", "id": "fc_1", "call_id": "shell_0", "name": "shell",
             "arguments": '{"command":["ls"]}'},
            {"type": "function_call_output", "call_id": "shell_0", "output": "README.md\nsrc\n"},
        ],
        "tools": [shell, patch, mcp, {"type": "web_search", "external_web_access": False}],
        "tool_choice": "auto", "parallel_tool_calls": False,
        "reasoning": {"effort": "high", "summary": "auto"}, "store": False, "stream": True,
        "include": ["reasoning.encrypted_content"], "prompt_cache_key": "0198-session",
        "text": {"verbosity": "low"}, "client_metadata": {"originator": "codex_cli_rs"},
    }


def test_the_request_codex_sends_gets_a_complete_stream(mock: MoonshotMock) -> None:
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "text/event-stream",
               "originator": "codex_cli_rs", "session_id": "0198-session"}
    with httpx.Client(timeout=10) as client:
        response = client.post(f"{mock.base_url}/responses", json=codex_request(), headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = response.text.split("\n\n")
    assert frames[-1] == ""
    events = []
    for frame in frames[:-1]:
        name, data = frame.split("\n")
        event = json.loads(data.removeprefix("data: "))
        assert name == f"event: {event['type']}"
        events.append(event)
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert events[-1]["type"] == "response.completed"
    final = events[-1]["response"]
    assert final["status"] == "completed" and final["store"] is False
    assert final["reasoning"] == {"effort": "high", "summary": "auto"}
    assert final["parallel_tool_calls"] is False
    assert all(item.get("encrypted_content") is None for item in final["output"])
    mock.assert_stream_completed(RESPONSES)
