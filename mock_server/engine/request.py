"""The internal request: what a door hands the engine, whatever wire format it came in.

A door parses its wire request (already checked against its spec operation) into one
`Inference`: the conversation — model, messages, tools and generation options — in the
vocabulary of the default model's planner and rules (`chat/`: messages with `role` and
`content`, function tools, `max_tokens`, `response_format`, `stop`, `n`, `thinking` …), whether
the answer streams, and the door's own parsed request (`wire`), which only the door reads again
when it renders. The engine's steps read the conversation, never a door's envelope.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True, eq=False)
class Inference:
    door: str  # the door it came through: "chat", "messages", "responses" (batch lines: "chat")
    conversation: Mapping[str, Any]  # model, messages, tools, options (see the module docstring)
    stream: bool = False
    wire: Any = None  # the door's own parsed request, for its renderer

    @property
    def model(self) -> str:
        return str(self.conversation.get("model", ""))

    @property
    def messages(self) -> Sequence[Mapping[str, Any]]:
        return self.conversation.get("messages") or ()

    @property
    def tools(self) -> Sequence[Mapping[str, Any]]:
        return self.conversation.get("tools") or ()
