"""A prompt as the format readers see it: its instructions (the system messages and the last
user message), their edges (each one's first and last `EDGE_CHARS`: where a short request such
as "answer yes or no" sits, however long the text between), the last user message alone, and
every turn's role and text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mock_server.chat.json_mode import MAX_SCAN_CHARS, message_text

EDGE_CHARS = 400
MAX_WINDOWS = 16


@dataclass(frozen=True)
class Prompt:
    instructions: str
    edges: str
    last_user: str
    turns: tuple[tuple[str, str], ...]  # (role, text), in order
    edges_lower: str  # `edges` lower-cased (itself when lower-casing changes its length)

    def windows(self, anchors: Sequence[str], after: int) -> Iterator[tuple[int, int]]:
        """Spans of `edges` that start at a mention of an anchor word (lower case) and run
        `after` characters on: a reader's pattern is searched there only, which costs a few
        string scans however long the prompt."""
        for anchor in anchors:
            index = self.edges_lower.find(anchor)
            for _ in range(MAX_WINDOWS):
                if index < 0:
                    break
                yield index, index + len(anchor) + after
                index = self.edges_lower.find(anchor, index + len(anchor))


def read_prompt(messages: Sequence[Mapping[str, Any]]) -> Prompt:
    turns = tuple((str(m.get("role", "")), message_text(m)) for m in messages)
    last_user = next((text for role, text in reversed(turns) if role == "user"), "")
    parts = [*(text for role, text in turns if role == "system"), last_user]
    edges = "\n".join(p if len(p) <= 2 * EDGE_CHARS else f"{p[:EDGE_CHARS]}\n{p[-EDGE_CHARS:]}"
                      for p in parts)
    lower = edges.lower()
    return Prompt("\n".join(parts)[-MAX_SCAN_CHARS:], edges, last_user, turns,
                  lower if len(lower) == len(edges) else edges)
