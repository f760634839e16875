"""The engine's planned answer, as a door renders it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan
    from mock_server.engine.request import Inference


@dataclass(slots=True, eq=False)
class Answer:
    inference: Inference  # what was asked (the door's `wire` request on it)
    plan: ChatPlan  # every choice's reasoning, content and tool calls as token pieces, finish reasons
    usage: dict[str, int]  # prompt_tokens, completion_tokens, total_tokens (+ cached_tokens)
    # response headers every door sends: rate limits, the explicit cache's, request signatures
    headers: dict[str, str] | None = None
