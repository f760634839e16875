"""What the engine answers: a planned `Answer` a door renders, or a `Replay` sent as recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mock_server.chat.plan import ChatPlan
    from mock_server.data.catalogue import Model
    from mock_server.engine.request import Inference


@dataclass(slots=True, eq=False)
class Answer:
    inference: Inference  # what was asked (the door's `wire` request on it)
    plan: ChatPlan  # every choice's reasoning, content and tool calls as token pieces, finish reasons
    usage: dict[str, int]  # prompt_tokens, completion_tokens, total_tokens (+ cached_tokens)
    # response headers every door sends: rate limits, the explicit cache's, request signatures
    headers: dict[str, str] | None = None
    model: Model | None = None  # the model that answered (its facts: default budget, fixed values)


@dataclass(slots=True, eq=False)
class Replay:
    """A recorded exchange's answer (`recording.document.RecordedReply`: status, headers, the
    body or the stream's events with their times), sent as recorded by the transport."""

    inference: Inference | None
    recorded: Any
