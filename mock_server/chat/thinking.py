"""Thinking and effort: the `thinking` object each model family takes, `reasoning_effort`,
the effective effort and the reasoning length it gives. What a family accepts is model data
(`thinking_object`, `reasoning_effort`, `effort_reasoning_tokens` in models.yaml), not code
branches; how the prompt renders thinking (kept reasoning, the effort turn) is the token
layout's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mock_server.chat import generate
from mock_server.data.catalogue import Model
from mock_server.errors import invalid_request

Body = Mapping[str, Any]
DEFAULT_EFFORT = "max"
DEFAULT_REASONING_TOKENS = (8, 24)


def thinking_enabled(body: Body, model: Model) -> bool:
    if model.reasoning == "always":
        return True
    if model.reasoning == "switchable":
        return (body.get("thinking") or {}).get("type", "enabled") != "disabled"
    return False


def check_thinking(body: Body, model: Model) -> None:
    """The `thinking` object against the family's, and `reasoning_effort` where it exists."""
    if body.get("reasoning_effort") is not None and not model.rules.get("reasoning_effort"):
        raise invalid_request("reasoning_effort is not supported by this model")
    accepted = model.rules.get("thinking_object")
    thinking = body.get("thinking")
    if not accepted or not thinking:
        return  # models without a thinking switch ignore the object
    for key in ("keep", "effort"):
        if thinking.get(key) is not None and key not in accepted["fields"]:
            raise invalid_request(f"thinking.{key} is not supported by this model")
    kind = thinking.get("type")
    if kind is None and accepted.get("type_required"):
        raise invalid_request("thinking.type is required")
    if kind is not None and kind not in accepted["types"]:
        raise invalid_request(f"thinking type '{kind}' is not supported by this model")


def effective_effort(body: Body, model: Model) -> str | None:
    """`thinking.effort`, else `reasoning_effort`, else `max`; None on models without effort."""
    if not model.rules.get("effort_reasoning_tokens"):
        return None
    return ((body.get("thinking") or {}).get("effort") or body.get("reasoning_effort")
            or DEFAULT_EFFORT)


def reasoning_range(body: Body, model: Model) -> tuple[int, int]:
    """The [low, high] length of the reasoning, in tokens, for the request's effort."""
    effort = effective_effort(body, model)
    if effort is not None:
        low, high = model.rules["effort_reasoning_tokens"][effort]
    else:
        low, high = model.rules.get("reasoning_tokens", DEFAULT_REASONING_TOKENS)
    return int(low), int(high)



def reasoning_pieces(body: Body, model: Model, draws: generate.Draws,
                     chinese: bool) -> list[str]:
    """Reasoning within the effort's [low, high] tokens: prose of at least a drawn length,
    cut at `high`, so the ranges of different efforts never overlap. It is drawn from draws of
    its own, so the content that follows is the same whatever the effort (and the completion
    tokens grow with it too)."""
    low, high = reasoning_range(body, model)
    own = draws.fork(b"reasoning:%s" % str(effective_effort(body, model)).encode())
    return generate.text_pieces(own, chinese, own.between(low, high))[:high]


def thinking_material(body: Body) -> tuple[Any, None]:
    """The seed material of the thinking fields: `thinking` without its effort, and
    `reasoning_effort`'s place left empty, so a request differing only in its effort gets
    the same content (its reasoning is drawn apart, `reasoning_pieces`)."""
    thinking = body.get("thinking")
    if thinking and "effort" in thinking:
        thinking = {k: v for k, v in thinking.items() if k != "effort"}
    return thinking, None
