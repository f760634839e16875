"""Scripted replies as data: every matcher field, ordered replies, precedence, scoping, files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mock_server.config import check_fault_text
from mock_server.replies.book import ReplyBook
from mock_server.replies.files import rules_from_list
from mock_server.replies.rules import ReplySyntaxError, parse_rule
from mock_server.reply_files import load_reply_files
from mock_server.settings import ConfigError

WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}


def body(text: str = "hello", **extra: Any) -> dict[str, Any]:
    return {"model": "kimi-k2.6", "messages": [{"role": "user", "content": text}], **extra}


def answers(match: dict[str, Any], request: dict[str, Any], account: str = "acme") -> bool:
    book = ReplyBook()
    book.add({"match": match, "reply": "yes"})
    return book.answer(request, account) is not None


@pytest.mark.parametrize(("match", "request_body", "expected"), [
    ({"model": "kimi-k2.6"}, body(), True),
    ({"model": "kimi-*"}, body(), True),
    ({"model": "moonshot-*"}, body(), False),
    ({"last_user": "weather"}, body("what is the weather?"), True),
    ({"last_user": "weather"}, body("hi"), False),
    ({"last_user": "re:^what .* weather"}, body("what is the weather"), True),
    ({"last_user": "re:^weather"}, body("what is the weather"), False),
    ({"any_message": "Paris"}, {"model": "m", "messages": [
        {"role": "system", "content": "in Paris"}, {"role": "user", "content": "hi"}]}, True),
    ({"any_message": "Paris"}, body("hi"), False),
    ({"last_user": "look"}, body("x", messages=[{"role": "user", "content": [
        {"type": "text", "text": "look here"}, {"type": "image_url", "image_url": {}}]}]), True),
    ({"system": "pirate"}, {"model": "m", "messages": [
        {"role": "system", "content": "You are a pirate"}, {"role": "user", "content": "hi"}]}, True),
    ({"system": "pirate"}, body("pirate"), False),
    ({"has_tools": True}, body(tools=[WEATHER_TOOL]), True),
    ({"has_tools": True}, body(), False),
    ({"has_tools": False}, body(), True),
    ({"tool_names": ["get_weather"]}, body(tools=[WEATHER_TOOL]), True),
    ({"tool_names": ["get_weather", "search"]}, body(tools=[WEATHER_TOOL]), False),
    ({"stream": True}, body(stream=True), True),
    ({"stream": True}, body(), False),
    ({"stream": False}, body(), True),
    ({"response_format": "json_object"}, body(response_format={"type": "json_object"}), True),
    ({"response_format": "text"}, body(), True),
    ({"response_format": "json_schema"}, body(response_format={"type": "json_object"}), False),
    ({"turn": 0}, body(), True),
    ({"turn": 1}, body(), False),
])
def test_each_matcher_field(match: dict[str, Any], request_body: dict[str, Any],
                            expected: bool) -> None:
    assert answers(match, request_body) is expected


def test_account_and_turn_and_tool_result_for() -> None:
    assert answers({"account": "acme"}, body()) and not answers({"account": "other"}, body())
    conversation = {"model": "m", "messages": [
        {"role": "user", "content": "weather?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "get_weather:0", "type": "function",
             "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "get_weather:0", "content": "sunny"}]}
    assert answers({"tool_result_for": "get_weather", "turn": 1}, conversation)
    assert not answers({"tool_result_for": "search"}, conversation)
    assert not answers({"tool_result_for": "get_weather"}, body())
    named = {"model": "m", "messages": [{"role": "tool", "name": "search", "content": "x"}]}
    assert answers({"tool_result_for": "search"}, named)


def test_matcher_fields_are_anded() -> None:
    match = {"model": "kimi-*", "last_user": "weather", "stream": True}
    assert answers(match, body("weather", stream=True))
    assert not answers(match, body("weather"))
    assert not answers(match, body("hi", stream=True))


def test_then_is_consumed_in_order_and_the_last_repeats() -> None:
    book = ReplyBook()
    book.add({"then": ["one", {"content": "two"}, {"error": "429"}]})
    got = [book.answer(body(), "a") for _ in range(5)]
    assert [(a.reply.content, a.reply.error, a.number) for a in got if a] == [
        ("one", None, 1), ("two", None, 2), (None, "429", 3), (None, "429", 4), (None, "429", 5)]


def test_times_stops_a_rule_and_the_next_one_answers() -> None:
    book = ReplyBook()
    book.add({"id": "first", "reply": "a", "times": 2})
    book.add({"id": "second", "reply": "b"})
    assert [book.answer(body(), "x").rule.id for _ in range(3)] == ["first", "first", "second"]
    assert book.used() == [{"id": "first", "source": "control", "used": 2},
                           {"id": "second", "source": "control", "used": 1}]


def test_precedence_session_then_added_then_config_then_files() -> None:
    config = rules_from_list([{"reply": "from config"}], "config", "config")
    files = rules_from_list([{"reply": "from a file"}], "file:x.yaml", "x")
    book = ReplyBook((*config, *files))
    assert book.answer(body(), "a").rule.id == "config-1"
    book.add({"id": "added", "reply": "added"})
    book.add({"id": "scoped", "reply": "scoped"}, session="s1")
    assert book.answer(body(), "a", "s1").rule.id == "scoped"
    assert book.answer(body(), "a", "s2").rule.id == "added"
    assert book.answer(body(), "a").rule.id == "added"
    book.clear()  # runtime rules go, configured ones stay
    assert book.answer(body(), "a").rule.id == "config-1"
    assert [r["id"] for r in book.rules()] == ["config-1", "x-1"]


def test_a_session_rule_never_answers_another_session() -> None:
    book = ReplyBook()
    book.add({"reply": "mine", "session": "s1"})
    assert book.answer(body(), "a", "s1") is not None
    assert book.answer(body(), "a", "s2") is None and book.answer(body(), "a") is None


def test_tool_call_arguments_as_object_or_string() -> None:
    rule = parse_rule({"reply": {"tool_calls": [
        {"name": "f", "arguments": {"city": "Paris"}},
        {"name": "g", "arguments": '{"x": 1}', "id": "call-1"}]}}, "r")
    calls = rule.replies[0].tool_calls
    assert [(c.name, c.arguments, c.id) for c in calls] == [
        ("f", '{"city":"Paris"}', None), ("g", '{"x": 1}', "call-1")]


@pytest.mark.parametrize(("item", "message"), [
    ({"match": {}}, "exactly one of 'reply' or 'then'"),
    ({"reply": "a", "then": ["b"]}, "exactly one of 'reply' or 'then'"),
    ({"reply": "a", "match": {"modle": "x"}}, "unknown fields ['modle']"),
    ({"reply": {"contents": "a"}}, "reply 1 has unknown fields ['contents']"),
    ({"reply": "a", "times": 0}, "'times' must be a whole number >= 1"),
    ({"reply": "a", "match": {"last_user": "re:("}}, "bad regular expression"),
    ({"reply": {"tool_calls": [{"name": "f", "arguments": "{nope"}]}}, "arguments are not JSON"),
    ({"reply": {"finish_reason": "done"}}, "'finish_reason' must be one of"),
    ({"reply": {"error": "429", "content": "x"}}, "'error' stands alone"),
    ({"reply": {"error": "error=nonsense"}}, "reply 1 'error'"),
    ({"reply": {"usage": {"prompt_tokens": -1}}}, "whole numbers >= 0"),
    ({"reply": "a", "match": {"turn": "1"}}, "'turn' must be a whole number"),
])
def test_bad_rules_name_the_field(item: dict[str, Any], message: str) -> None:
    with pytest.raises(ReplySyntaxError, match=None) as caught:
        parse_rule(item, "r", check_error=check_fault_text)
    assert message in str(caught.value)


def test_reply_files_load_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('[{"match": {"last_user": "b"}, "reply": "B"}]')
    (tmp_path / "a.yaml").write_text("replies:\n  - id: hello\n    match: {last_user: hi}\n"
                                     "    reply: Hello!\n  - reply: {content: fallback}\n")
    (tmp_path / "notes.txt").write_text("ignored")
    rules = load_reply_files(tmp_path).rules
    assert [(r.id, r.source) for r in rules] == [
        ("hello", "file:a.yaml"), ("a-2", "file:a.yaml"), ("b-1", "file:b.json")]


def test_a_bad_reply_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("- reply: {contnet: x}\n")
    with pytest.raises(ConfigError, match=r"reply file bad.yaml: rule 1: reply 1 has unknown"):
        load_reply_files(tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_reply_files(tmp_path / "missing")


def spec_schemas() -> dict[str, Any]:
    from mock_server.data.yaml_load import load_yaml

    text = (Path(__file__).parents[2] / "openapi" / "moonshot.yaml").read_text("utf-8")
    return dict(load_yaml(text)["components"]["schemas"])


def test_the_spec_documents_the_rule_format_the_parser_reads() -> None:
    from mock_server.replies import rules

    schemas = spec_schemas()
    assert tuple(schemas["MockReplyRule"]["properties"]) == rules.RULE_KEYS
    assert tuple(schemas["MockReplyMatch"]["properties"]) == rules.MATCH_KEYS
    assert tuple(schemas["MockReply"]["properties"]) == rules.REPLY_KEYS
    assert tuple(schemas["MockReply"]["properties"]["usage"]["properties"]) == rules.USAGE_KEYS


@pytest.mark.parametrize("rule", [
    {"match": {"last_user": "re:weather", "model": "kimi-*"}, "reply": "Sunny"},
    {"id": "w", "match": {"tool_result_for": "get_weather", "turn": 1}, "then": [
        "a", {"error": "429"}], "times": 3, "session": "s"},
    {"reply": {"tool_calls": [{"name": "f", "arguments": {"x": 1}}], "usage": {
        "prompt_tokens": 3}, "finish_reason": "tool_calls", "reasoning_content": "r"}},
])
def test_rules_the_parser_takes_validate_against_the_spec(rule: dict[str, Any]) -> None:
    import jsonschema_rs

    schemas = spec_schemas()
    parse_rule(rule, "r")
    jsonschema_rs.validate({**schemas["MockReplyRule"], "components": {"schemas": schemas}},
                           rule)
