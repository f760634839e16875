"""The kimi-k3 generation's request surface through the real `openai` SDK over a socket:
dynamic tools, thinking and effort per family, tool_choice and response_format rules, the
content rule and the K3.1 models. Every rule is shown streamed and not streamed; every 400
with its exact type and message. Fields the SDK does not know go in `extra_body`.
"""

from __future__ import annotations

from typing import Any

import openai
import pytest
from openai import OpenAI

from mock_server.chat.tokens import DEFAULT_COUNTER
from mock_server.data.catalogue import load_catalogue
from tests.conftest import API_KEY

K3_MODELS = ["kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed"]
CATALOGUE = load_catalogue()
WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Current weather of a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]}}}
CLOCK = {"type": "function", "function": {
    "name": "get_time", "parameters": {"type": "object",
                                       "properties": {"zone": {"type": "string"}}}}}


def declare(*tools: Any, content: Any = "") -> dict[str, Any]:
    message: dict[str, Any] = {"role": "system", "tools": list(tools)}
    if content is not None:
        message["content"] = content
    return message


def user(text: str = "Is it raining in Beijing?") -> dict[str, Any]:
    return {"role": "user", "content": text}


@pytest.fixture
def sdk(live_url: str) -> OpenAI:
    return OpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0,
                  _strict_response_validation=True)


def create(sdk: OpenAI, stream: bool, **body: Any) -> dict[str, Any]:
    """The answer as one dict (a stream folded into the non-stream shape), through the SDK:
    `model` and `messages` as SDK arguments, everything else in `extra_body`."""
    model, messages = body.pop("model"), body.pop("messages")
    if not stream:
        answer = sdk.chat.completions.create(model=model, messages=messages, extra_body=body)
        return answer.model_dump()
    chunks = list(sdk.chat.completions.create(model=model, messages=messages, stream=True,
                                              extra_body=body))
    message: dict[str, Any] = {"content": "", "reasoning_content": "", "tool_calls": []}
    for chunk in chunks:
        delta = chunk.choices[0].delta
        message["content"] += delta.content or ""
        message["reasoning_content"] += (delta.model_extra or {}).get("reasoning_content") or ""
        for call in delta.tool_calls or ():
            if call.id:
                message["tool_calls"].append({"id": call.id, "type": call.type, "function": {
                    "name": call.function.name, "arguments": ""}})
            message["tool_calls"][-1]["function"]["arguments"] += call.function.arguments or ""
    last = chunks[-1].choices[0]
    return {"choices": [{"message": message, "finish_reason": last.finish_reason}],
            "usage": last.model_extra["usage"]}


def assert_refused(sdk: OpenAI, message: str, **body: Any) -> None:
    """The same 400 streamed and not streamed."""
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as caught:
            create(sdk, stream, **dict(body))
        assert caught.value.status_code == 400
        assert caught.value.body == {"message": message, "type": "invalid_request_error"}


STREAMS = pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])


# ---------------------------------------------------------------- dynamic tools

@STREAMS
@pytest.mark.parametrize("model", K3_MODELS)
def test_dynamic_tools_are_callable_on_the_k3_family(sdk: OpenAI, stream: bool, model: str) -> None:
    answer = create(sdk, stream, model=model, messages=[declare(WEATHER), user()])
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    call = choice["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather"
    assert call["id"] == "functions.get_weather:0"
    assert "city" in call["function"]["arguments"]


@STREAMS
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_declaration_anywhere_makes_its_tools_callable_from_there_on(
        sdk: OpenAI, stream: bool, where: str) -> None:
    history = [user("hello"), {"role": "assistant", "content": "Hi."}, user()]
    position = {"first": 0, "middle": 2, "last": 3}[where]
    messages = [*history[:position], declare(WEATHER), *history[position:]]
    answer = create(sdk, stream, model="kimi-k3", messages=messages)
    assert answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_weather"


@STREAMS
def test_several_declarations_and_top_level_tools_are_all_callable(sdk: OpenAI, stream: bool) -> None:
    names = set()
    questions = ("What time is it in Tokyo?", "What's the weather in Oslo?", "Will it rain in Paris?")
    for index in range(6):  # each question points at one tool: the default model calls that one
        answer = create(sdk, stream, model="kimi-k3", tools=[CLOCK],
                        messages=[declare(WEATHER), user(f"{questions[index % 3]} ({index})"),
                                  declare({**WEATHER, "function": {"name": "get_rain"}})])
        names.add(answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"])
    assert names == {"get_time", "get_weather", "get_rain"}


@STREAMS
def test_dynamic_tools_count_in_prompt_tokens(sdk: OpenAI, stream: bool) -> None:
    base = [user("hello"), {"role": "assistant", "content": "Hi."}, user()]
    declaration = declare(WEATHER, CLOCK)
    plain = create(sdk, stream, model="kimi-k3", messages=base, tool_choice="none")
    loaded = create(sdk, stream, model="kimi-k3", messages=[*base[:2], declaration, base[2]],
                    tool_choice="none")
    grown = loaded["usage"]["prompt_tokens"] - plain["usage"]["prompt_tokens"]
    k3 = CATALOGUE.get("kimi-k3")
    assert k3 is not None
    assert grown == DEFAULT_COUNTER.tools([WEATHER, CLOCK], k3) > 0  # one tool_declare turn


@STREAMS
@pytest.mark.parametrize("model", ["kimi-k2.6", "kimi-k2.5", "kimi-k2.7-code", "moonshot-v1-8k"])
def test_dynamic_tools_before_the_k3_family_fail_tokenization(sdk: OpenAI, stream: bool,
                                                              model: str) -> None:
    assert_refused(sdk, "tokenization failed", model=model, messages=[declare(WEATHER), user()])


@pytest.mark.parametrize("role", ["user", "assistant"])
def test_tools_only_on_system_messages(sdk: OpenAI, role: str) -> None:
    message = {"role": role, "content": "hi", "tools": [WEATHER]}
    assert_refused(sdk, f"Invalid request: the message at position 1 with role '{role}' cannot "
                        "carry tools, only a system message can",
                   model="kimi-k3", messages=[user("hello"), message, user()])


@pytest.mark.parametrize("content", ["be brief", " ", [{"type": "text", "text": "x"}]])
def test_a_declaring_message_has_no_content(sdk: OpenAI, content: Any) -> None:
    assert_refused(sdk, "Invalid request: the message at position 0 with role 'system' declares "
                        "tools, which cannot be used with content",
                   model="kimi-k3", messages=[declare(WEATHER, content=content), user()])


@STREAMS
@pytest.mark.parametrize("content", ["", None])
def test_a_declaring_message_with_empty_or_absent_content_is_not_empty(
        sdk: OpenAI, stream: bool, content: Any) -> None:
    answer = create(sdk, stream, model="kimi-k3", messages=[user(), declare(WEATHER, content=content)])
    assert answer["choices"][0]["finish_reason"] == "tool_calls"


BROKEN_TOOLS = [
    {**WEATHER, "function": {**WEATHER["function"], "name": "1x"}},
    {**WEATHER, "function": {**WEATHER["function"], "name": "a" * 129}},
    {**WEATHER, "type": "retrieval"},
    {"function": WEATHER["function"]},
    {"type": "function"},
    {"type": "function", "function": {"description": "no name"}},
    {**WEATHER, "function": {**WEATHER["function"], "strict": "yes"}},
    {**WEATHER, "function": {**WEATHER["function"], "name": "$weather"}},  # server check
    {**WEATHER, "function": {**WEATHER["function"], "parameters": {"type": "string"}}},
    "get_weather",
]


@pytest.mark.parametrize("broken", BROKEN_TOOLS)
def test_dynamic_tools_are_validated_like_top_level_tools(sdk: OpenAI, broken: Any) -> None:
    with pytest.raises(openai.BadRequestError) as top_level:
        sdk.chat.completions.create(model="kimi-k3", messages=[user()], tools=[WEATHER, broken])
    message = top_level.value.body["message"]  # type: ignore[index]
    assert "tools[1]" in message
    assert_refused(sdk, message.replace("tools[1]", "messages[1].tools[0]"),
                   model="kimi-k3", messages=[declare(WEATHER), declare(broken), user()])


def test_a_dynamic_tool_name_error_names_its_path(sdk: OpenAI) -> None:
    broken = {**WEATHER, "function": {**WEATHER["function"], "name": "1x"}}
    assert_refused(sdk, "Invalid request: messages[2].tools[0].function.name must match pattern "
                        "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$",
                   model="kimi-k3", messages=[user("hello"), {"role": "assistant", "content": "Hi."},
                                              declare(broken), user()])


@pytest.mark.parametrize(("messages", "tools", "duplicate", "path"), [
    ([declare(WEATHER), user()], [WEATHER], "get_weather", "messages[0].tools[0]"),
    ([declare(CLOCK), user(), declare(WEATHER, CLOCK)], None, "get_time", "messages[2].tools[1]"),
    ([declare(WEATHER, WEATHER), user()], None, "get_weather", "messages[0].tools[1]"),
    ([user()], [WEATHER, CLOCK, WEATHER], "get_weather", "tools[2]"),
])
def test_tool_names_are_unique_across_all_declarations(sdk: OpenAI, messages: Any, tools: Any,
                                                       duplicate: str, path: str) -> None:
    body: dict[str, Any] = {"model": "kimi-k3", "messages": messages}
    if tools:
        body["tools"] = tools
    assert_refused(sdk, f"Invalid request: tool name '{duplicate}' at {path}.function.name is "
                        "already declared", **body)


def test_duplicate_tool_names_refused_on_every_model(sdk: OpenAI) -> None:
    assert_refused(sdk, "Invalid request: tool name 'get_weather' at tools[1].function.name is "
                        "already declared",
                   model="moonshot-v1-8k", messages=[user()], tools=[WEATHER, WEATHER])


# ---------------------------------------------------------------- tool_choice

@STREAMS
def test_required_is_satisfied_by_dynamic_tools(sdk: OpenAI, stream: bool) -> None:
    answer = create(sdk, stream, model="kimi-k3", tool_choice="required",
                    messages=[declare(WEATHER), user("hello")])
    assert answer["choices"][0]["finish_reason"] == "tool_calls"


@pytest.mark.parametrize("model", K3_MODELS)
@pytest.mark.parametrize("tools", [None, []])
def test_required_without_any_tool_is_refused(sdk: OpenAI, model: str, tools: Any) -> None:
    body: dict[str, Any] = {"model": model, "messages": [user()], "tool_choice": "required"}
    if tools is not None:
        body["tools"] = tools
    assert_refused(sdk, "Invalid request: tool_choice 'required' needs at least one tool, but "
                        "none is declared", **body)


@pytest.mark.parametrize("model", ["kimi-k2.6", "kimi-k2.7-code"])
def test_required_refused_before_the_k3_family(sdk: OpenAI, model: str) -> None:
    assert_refused(sdk, "Invalid request: tool_choice 'required' is not supported by this model",
                   model=model, messages=[user()], tools=[WEATHER], tool_choice="required")


NAMED = {"type": "function", "function": {"name": "get_weather"}}


@pytest.mark.parametrize("model", K3_MODELS)
@pytest.mark.parametrize("thinking", [None, {"type": "disabled"}])
def test_named_tool_choice_on_the_k3_family_is_incompatible_with_thinking(
        sdk: OpenAI, model: str, thinking: Any) -> None:
    body: dict[str, Any] = {"model": model, "messages": [declare(WEATHER), user()],
                            "tool_choice": NAMED}
    if thinking:
        body["thinking"] = thinking
    assert_refused(sdk, "tool_choice 'specified' is incompatible with thinking enabled", **body)


def test_named_tool_choice_on_k2_6_with_thinking(sdk: OpenAI) -> None:
    assert_refused(sdk, 'tool_choice can only be set to "auto" or "none" when thinking is enabled',
                   model="kimi-k2.6", messages=[user()], tools=[WEATHER], tool_choice=NAMED)


@STREAMS
def test_named_tool_choice_on_k2_6_without_thinking(sdk: OpenAI, stream: bool) -> None:
    answer = create(sdk, stream, model="kimi-k2.6", messages=[user()], tools=[CLOCK, WEATHER],
                    tool_choice=NAMED, thinking={"type": "disabled"})
    assert answer["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_weather"


@STREAMS
def test_auto_and_none_on_the_k3_family(sdk: OpenAI, stream: bool) -> None:
    none = create(sdk, stream, model="kimi-k3", messages=[declare(WEATHER), user()],
                  tool_choice="none")
    assert none["choices"][0]["finish_reason"] == "stop"
    auto = create(sdk, stream, model="kimi-k3", messages=[declare(WEATHER), user()],
                  tool_choice="auto")
    assert auto["choices"][0]["finish_reason"] in ("stop", "tool_calls")


# ---------------------------------------------------------------- response_format

@pytest.mark.parametrize(("response_format", "message"), [
    ({"type": "json_schema"},
     "Invalid request: response_format.json_schema is required when type is json_schema"),
    ({"type": "json_schema", "json_schema": {"schema": {"type": "object"}}},
     "Invalid request: response_format.json_schema.name is required"),
    ({"type": "json_schema", "json_schema": {"name": "x"}},
     "Invalid request: response_format.json_schema.schema is required"),
    ({"type": "json_schema", "json_schema": {"name": "x", "schema": "object"}},
     "Invalid request: response_format.json_schema.schema must be an object"),
    ({"type": "json_schema", "json_schema": {"name": "x", "schema": [{"type": "object"}]}},
     "Invalid request: response_format.json_schema.schema must be an object"),
    ({"type": "yaml"},
     "Invalid request: response_format.type must be one of text, json_object, json_schema"),
])
@pytest.mark.parametrize("model", ["kimi-k3", "kimi-k2.6"])
def test_response_format_rules(sdk: OpenAI, model: str, response_format: Any, message: str) -> None:
    assert_refused(sdk, message, model=model, messages=[user()], response_format=response_format)


# ---------------------------------------------------------------- thinking and effort

def answer_at(sdk: OpenAI, stream: bool, index: int, **extra: Any) -> dict[str, Any]:
    return create(sdk, stream, model="kimi-k3", messages=[user(f"explain {index}")], **extra)


@STREAMS
def test_reasoning_and_completion_tokens_grow_with_effort(sdk: OpenAI, stream: bool) -> None:
    for index in range(6):
        answers = [answer_at(sdk, stream, index, reasoning_effort=effort)
                   for effort in ("low", "high", "max")]
        messages = [a["choices"][0]["message"] for a in answers]
        low, high, top = (len(m["reasoning_content"]) for m in messages)
        assert 0 < low < high < top
        assert len({m["content"] for m in messages}) == 1  # the effort changes the reasoning only
        completion = [a["usage"]["completion_tokens"] for a in answers]
        assert completion[0] < completion[1] < completion[2]


@STREAMS
def test_effort_precedence(sdk: OpenAI, stream: bool) -> None:
    """thinking.effort > reasoning_effort > max: same effort, same answer."""
    def answer(**extra: Any) -> dict[str, Any]:
        return create(sdk, stream, model="kimi-k3", messages=[user("explain")], **extra)

    def tokens(result: dict[str, Any]) -> int:
        return int(result["usage"]["completion_tokens"])

    low = answer(thinking={"effort": "low"}, reasoning_effort="max")
    assert tokens(low) < tokens(answer(thinking={"effort": "high"}, reasoning_effort="low"))
    assert tokens(answer(reasoning_effort="high")) < tokens(answer())  # default max
    assert tokens(answer(thinking={"type": "enabled"}, reasoning_effort="low")) < tokens(
        answer(thinking={"type": "enabled"}))


@STREAMS
@pytest.mark.parametrize("thinking", [{"keep": "all"}, {"type": "disabled"},
                                      {"type": "enabled", "keep": None, "effort": "high"}])
def test_k3_thinking_objects_accepted_and_it_always_reasons(sdk: OpenAI, stream: bool,
                                                            thinking: Any) -> None:
    answer = create(sdk, stream, model="kimi-k3", messages=[user()], thinking=thinking)
    assert answer["choices"][0]["message"]["reasoning_content"]


@STREAMS
@pytest.mark.parametrize("model", ["kimi-k3", "kimi-k2.6"])
def test_keep_all_counts_history_reasoning(sdk: OpenAI, stream: bool, model: str) -> None:
    reasoning = "First I recall the weather of Beijing in spring, then I compare it."
    messages = [user("hello"), {"role": "assistant", "content": "Hi.",
                                "reasoning_content": reasoning}, user()]
    kept = create(sdk, stream, model=model, messages=messages,
                  thinking={"type": "enabled", "keep": "all"})
    dropped = create(sdk, stream, model=model, messages=messages, thinking={"type": "enabled"})
    null = create(sdk, stream, model=model, messages=messages,
                  thinking={"type": "enabled", "keep": None})
    assert dropped["usage"]["prompt_tokens"] == null["usage"]["prompt_tokens"]
    assert (kept["usage"]["prompt_tokens"] - dropped["usage"]["prompt_tokens"]
            == DEFAULT_COUNTER.text(reasoning) > 0)


@pytest.mark.parametrize(("model", "extra", "message"), [
    ("kimi-k2.6", {"thinking": {"keep": "all"}},
     "Invalid request: thinking.type is required"),
    ("kimi-k2.5", {"thinking": {"type": "enabled", "effort": "low"}},
     "Invalid request: thinking.effort is not supported by this model"),
    ("kimi-k2.6", {"reasoning_effort": "low"},
     "Invalid request: reasoning_effort is not supported by this model"),
    ("moonshot-v1-8k", {"reasoning_effort": "high"},
     "Invalid request: reasoning_effort is not supported by this model"),
    ("kimi-k2.7-code", {"thinking": {"type": "disabled"}},
     "Invalid request: thinking type 'disabled' is not supported by this model"),
    ("kimi-k3", {"thinking": {"effort": "medium"}},
     "Invalid request: thinking.effort must be one of low, high, max, null"),
    ("kimi-k3", {"reasoning_effort": "medium"},
     "Invalid request: reasoning_effort must be one of low, high, max, null"),
])
def test_thinking_rules_per_family(sdk: OpenAI, model: str, extra: Any, message: str) -> None:
    assert_refused(sdk, message, model=model, messages=[user()], **extra)


@STREAMS
@pytest.mark.parametrize(("model", "thinking"), [
    ("kimi-k2.5", {"type": "enabled", "keep": "all"}), ("kimi-k2.6", {"type": "disabled"}),
    ("kimi-k2.7-code", {"type": "enabled", "keep": "all"})])
def test_thinking_objects_of_earlier_families(sdk: OpenAI, stream: bool, model: str,
                                              thinking: Any) -> None:
    answer = create(sdk, stream, model=model, messages=[user()], thinking=thinking)
    reasons = bool(answer["choices"][0]["message"].get("reasoning_content"))
    assert reasons == (thinking["type"] == "enabled")


# ---------------------------------------------------------------- content and catalogue

@STREAMS
def test_whitespace_is_content(sdk: OpenAI, stream: bool) -> None:
    """The seed article's program: a system message of one space."""
    answer = create(sdk, stream, model="moonshot-v1-8k",
                    messages=[{"role": "system", "content": " "}, user()])
    assert answer["choices"][0]["message"]["content"]


def test_empty_string_is_empty(sdk: OpenAI) -> None:
    assert_refused(sdk, "Invalid request: the message at position 0 with role 'system' must not "
                        "be empty",
                   model="kimi-k3", messages=[{"role": "system", "content": ""}, user()])


def test_k3_1_models_listed(sdk: OpenAI) -> None:
    listed = {m.id: m for m in sdk.models.list()}
    for model in K3_MODELS:
        assert listed[model].model_extra["context_length"] == 1048576
        assert listed[model].model_extra["supports_reasoning"] is True
