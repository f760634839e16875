"""The default model's tool choice: a tool when the conversation points at it, text otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.chat.tool_choice import choose_tool, words


def fn(name: str, description: str = "") -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description,
                                             "parameters": {"type": "object"}}}


WEATHER = fn("get_weather", "Get the current weather for a city")
STOCK = fn("lookupStockPrice", "Latest price of a stock ticker")
FINAL = fn("final_result", "The final response which ends this conversation")
SEARCH_ZH = fn("search", "在互联网上搜索新闻和资料")
TOOLS = [WEATHER, STOCK]


def user(text: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": text}]


def chosen(text: str, tools: list[dict[str, Any]] = TOOLS, choice: Any = "auto",
           messages: list[dict[str, Any]] | None = None) -> str | None:
    tool = choose_tool(tools, choice, messages or user(text), text)
    return None if tool is None else tool["function"]["name"]


def test_names_split_into_words() -> None:
    assert words("get_weather") == {"weather"}
    assert words("lookupStockPrice") == {"lookup", "stock", "price"}


@pytest.mark.parametrize(("text", "expected"), [
    ("Write a haiku about autumn", None),
    ("What's the weather in Paris?", "get_weather"),
    ("How much is the AAPL stock today?", "lookupStockPrice"),
    ("Please use the tool for this", "get_weather"),
    ("帮我查一下", "get_weather"),
    ("Is it raining in Beijing?", "get_weather"),
])
def test_auto_calls_only_a_tool_the_text_points_at(text: str, expected: str | None) -> None:
    assert chosen(text) == expected


def test_chinese_description_words_match() -> None:
    assert chosen("今天有什么新闻？", [SEARCH_ZH]) == "search"
    assert chosen("写一首诗", [SEARCH_ZH]) is None


def test_required_named_and_none() -> None:
    assert chosen("Write a haiku", choice="required") == "get_weather"
    assert chosen("weather?", choice={"type": "function", "function": {
        "name": "lookupStockPrice"}}) == "lookupStockPrice"
    assert chosen("weather?", choice="none") is None


def test_after_a_tool_result_text_or_the_next_tool_or_the_final_tool() -> None:
    conversation = [*user("weather and stock price of AAPL?"),
                    {"role": "assistant", "tool_calls": [{"id": "1", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{}"}}]},
                    {"role": "tool", "tool_call_id": "1", "content": "sunny"}]
    text = "weather and stock price of AAPL?"
    assert chosen(text, messages=conversation) == "lookupStockPrice"
    assert chosen(text, [WEATHER], messages=conversation) is None
    assert chosen(text, [WEATHER, FINAL], messages=conversation) == "final_result"


def test_a_final_answer_tool_is_called_when_nothing_else_fits() -> None:
    assert chosen("Tell me a joke", [WEATHER, FINAL]) == "final_result"
    assert chosen("weather in Rome?", [WEATHER, FINAL]) == "get_weather"
