"""Reasoning length by effort, for every seed: the effort ranges never overlap, and the
effort changes nothing but the reasoning (so completion tokens follow it)."""

from __future__ import annotations

from typing import Any

import pytest

from mock_server.chat.plan import Replies, plan_chat
from mock_server.chat.rules import check_chat_request
from mock_server.chat.thinking import effective_effort, reasoning_range
from mock_server.data.catalogue import load_catalogue

CATALOGUE = load_catalogue()
EFFORTS = ("low", "high", "max")


def replies(seed: int) -> Replies:
    return Replies(seed=seed, reply_tokens=(16, 64), id="chatcmpl-00000000aaaaaaaaaaaaaaaa",
                   created=0, system_fingerprint="fpv0_00000000")


def planned(body: dict[str, Any], seed: int) -> Any:
    model, prompt_tokens = check_chat_request(body, CATALOGUE)
    return plan_chat(body, model, prompt_tokens, replies(seed)).choices[0]


@pytest.mark.parametrize("model", ["kimi-k3", "kimi-k3.1-pro", "kimi-k3.1-pro-highspeed"])
@pytest.mark.parametrize("text", ["Why is the sky blue?", "为什么天空是蓝色的？"])
def test_effort_ranges_never_overlap_for_any_seed(model: str, text: str) -> None:
    catalogue_model = CATALOGUE.get(model)
    assert catalogue_model is not None
    ranges = [reasoning_range({"reasoning_effort": e}, catalogue_model) for e in EFFORTS]
    assert ranges[0][1] < ranges[1][0] and ranges[1][1] < ranges[2][0]
    for seed in range(60):
        body = {"model": model, "messages": [{"role": "user", "content": f"{text} {seed % 7}"}]}
        choices = [planned({**body, "reasoning_effort": e}, seed) for e in EFFORTS]
        for choice, (low, high) in zip(choices, ranges, strict=True):
            assert low <= len(choice.reasoning) <= high
        assert len({c.content for c in choices}) == 1
        tokens = [c.completion_tokens for c in choices]
        assert tokens[0] < tokens[1] < tokens[2]


@pytest.mark.parametrize(("body", "effort"), [
    ({}, "max"),
    ({"reasoning_effort": "high"}, "high"),
    ({"thinking": {"effort": "low"}, "reasoning_effort": "max"}, "low"),
    ({"thinking": {"keep": "all"}, "reasoning_effort": "low"}, "low"),
    ({"thinking": {"effort": None}}, "max"),
])
def test_effort_precedence(body: dict[str, Any], effort: str) -> None:
    model = CATALOGUE.get("kimi-k3")
    assert model is not None
    assert effective_effort(body, model) == effort


def test_models_without_effort_keep_their_reasoning_length() -> None:
    model = CATALOGUE.get("kimi-k2.6")
    assert model is not None
    assert effective_effort({}, model) is None
    assert reasoning_range({}, model) == (8, 24)
