"""Exact mode against the real Kimi K2 vocabulary (`make tokenizer` gets it; skipped where it is absent):
the three documented numbers, whole prompts counted as the chat template renders them, and the
default estimate's calibration on the corpus."""

from __future__ import annotations

import json
import random
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import tiktoken

from bench.token_corpus import CATEGORIES, ratios, read, summary, table, tool
from mock_server.chat.estimate import count_text
from mock_server.chat.tokens import DEFAULT_COUNTER, TokenCounter, counter_for
from mock_server.chat.vocab import PAT_STR, read_ranks
from mock_server.data.catalogue import Model, load_catalogue
from tests.conftest import CANONICAL_MESSAGES

CATALOGUE = load_catalogue()
SPECIALS = {"<|im_end|>": 163586, "<|im_user|>": 163587, "<|im_assistant|>": 163588,
            "<|im_system|>": 163594, "<|tool_calls_section_begin|>": 163595,
            "<|tool_calls_section_end|>": 163596, "<|tool_call_begin|>": 163597,
            "<|tool_call_argument_begin|>": 163598, "<|tool_call_end|>": 163599,
            "<|im_middle|>": 163601}


def model(name: str) -> Model:
    found = CATALOGUE.get(name)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def exact(kimi_vocabulary: Path) -> TokenCounter:
    return counter_for(kimi_vocabulary)


@pytest.fixture(scope="module")
def encoding(kimi_vocabulary: Path) -> tiktoken.Encoding:
    """The vocabulary with the chat template's special tokens, to encode whole prompts."""
    return tiktoken.Encoding("kimi-k2-test", pat_str=PAT_STR, special_tokens=SPECIALS,
                             mergeable_ranks=read_ranks(kimi_vocabulary.read_bytes()))


def k2_template(messages: Sequence[Mapping[str, Any]], tools: list[Any] | None = None) -> str:
    """The K2 chat template written out as text (tools as sorted compact JSON)."""
    text = ""
    if tools:
        declared = json.dumps(tools, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        text += f"<|im_system|>tool_declare<|im_middle|>{declared}<|im_end|>"
    for message in messages:
        role = message["role"]
        if role == "tool":
            text += (f"<|im_system|>{message.get('name') or 'tool'}<|im_middle|>## Return of "
                     f"{message['tool_call_id']}\n{message['content']}<|im_end|>")
            continue
        text += f"<|im_{role}|>{message.get('name') or role}<|im_middle|>{message.get('content') or ''}"
        if message.get("tool_calls"):
            text += "<|tool_calls_section_begin|>" + "".join(
                f"<|tool_call_begin|>{c['id']}<|tool_call_argument_begin|>{c['function']['arguments']}"
                "<|tool_call_end|>" for c in message["tool_calls"]) + "<|tool_calls_section_end|>"
        text += "<|im_end|>"
    return text + "<|im_assistant|>assistant<|im_middle|>"


def test_the_documented_numbers_80_83_19(exact: TokenCounter) -> None:
    v1 = model("moonshot-v1-8k")
    assert exact.estimate({"messages": CANONICAL_MESSAGES}, v1) == 80  # estimate-token-count
    assert exact.prompt({"messages": CANONICAL_MESSAGES}, v1) == 83  # the 2024 capture
    assert exact.prompt({"messages": CANONICAL_MESSAGES[1:]}, v1) == 19  # the chat example


def test_a_tool_call_round_trip_is_counted_as_the_template_renders_it(
        exact: TokenCounter, encoding: tiktoken.Encoding) -> None:
    tools = [tool(random.Random(1), "get_weather")]
    call = {"id": "functions.get_weather:0", "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "北京", "unit": "celsius"}'}}
    messages = [*CANONICAL_MESSAGES, {"role": "assistant", "content": "我来查一下。", "tool_calls": [call]},
                {"role": "tool", "tool_call_id": call["id"], "name": "get_weather",
                 "content": '{"weather": "晴", "temperature": 25}'}]
    body = {"messages": messages, "tools": tools}
    rendered = len(encoding.encode(k2_template(messages, tools), allowed_special="all"))
    assert exact.prompt(body, model("kimi-k2-0905-preview")) == rendered
    assert exact.estimate(body, model("kimi-k2-0905-preview")) == rendered - 3


def test_twenty_tools_are_counted_by_the_layout(exact: TokenCounter,
                                                encoding: tiktoken.Encoding) -> None:
    rng = random.Random(20)
    tools = [tool(rng, f"tool_{i:02d}") for i in range(20)]
    body = {"messages": CANONICAL_MESSAGES[1:], "tools": tools}
    rendered = len(encoding.encode(k2_template(CANONICAL_MESSAGES[1:], tools), allowed_special="all"))
    k2 = model("kimi-k2-0905-preview")
    assert exact.prompt(body, k2) == rendered
    # the default estimate of the same request stays close
    assert abs(DEFAULT_COUNTER.prompt(body, k2) / rendered - 1) < 0.1
    # K2.5 declares the same tools as TypeScript-like signatures: fewer tokens than the JSON
    assert exact.tools(tools, model("kimi-k2.5")) < exact.tools(tools, k2)


def test_the_default_estimate_is_calibrated_on_the_corpus(kimi_vocabulary: Path) -> None:
    corpus = read()
    assert len(corpus) >= 300 and {e["category"] for e in corpus} == set(CATEGORIES)
    found = ratios(corpus, count_text, counter_for(kimi_vocabulary).text)
    print("\n" + "\n".join(table(found)))  # the figures, shown with `pytest -s`
    for category, values in found.items():
        figures = summary(values)
        assert abs(statistics.median(values) - 1) <= 0.05, (category, figures)
        assert figures["p10"] >= 0.85 and figures["p90"] <= 1.15, (category, figures)
        assert figures["p90_error"] <= 0.15, (category, figures)
