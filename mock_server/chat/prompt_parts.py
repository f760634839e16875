"""A prompt as the format readers see it: its instructions (the system messages and the last
user message), the last user message alone, and every turn's role and text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mock_server.chat.json_mode import MAX_SCAN_CHARS, message_text


@dataclass(frozen=True)
class Prompt:
    instructions: str
    last_user: str
    turns: tuple[tuple[str, str], ...]  # (role, text), in order


def read_prompt(messages: Sequence[Mapping[str, Any]]) -> Prompt:
    turns = tuple((str(m.get("role", "")), message_text(m)) for m in messages)
    last_user = next((text for role, text in reversed(turns) if role == "user"), "")
    system = [text for role, text in turns if role == "system"]
    return Prompt("\n".join([*system, last_user])[-MAX_SCAN_CHARS:], last_user, turns)
