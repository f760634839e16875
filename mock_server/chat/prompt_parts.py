"""A prompt as the format readers see it: its instructions (the system messages and the last
user message), their edges (each one's first and last `EDGE_CHARS`: where a short request such
as "answer yes or no" sits, however long the text between), the last user message alone, and
every turn's role and text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from mock_server.chat.json_mode import MAX_SCAN_CHARS, message_text

EDGE_CHARS = 400
MAX_WINDOWS = 16


@dataclass
class Prompt:
    """Not frozen (made for every reply without `response_format`); no reader changes one."""

    instructions: str
    edges: str
    last_user: str
    turns: tuple[tuple[str, str], ...]  # (role, text), in order
    texts: tuple[str, ...]  # the instruction texts: each system message, the last user one

    @cached_property
    def edges_lower(self) -> str:
        """`edges` lower-cased (itself when lower-casing changes its length): made only when a
        reader looks for its anchors, after a cue."""
        lower = self.edges.lower()
        return lower if len(lower) == len(self.edges) else self.edges

    def windows(self, anchors: Sequence[str], after: int) -> Iterator[tuple[int, int]]:
        """Spans of `edges` that start at a mention of an anchor word (lower case) and run
        `after` characters on: a reader's pattern is searched there only, which costs a few
        string scans however long the prompt."""
        edges_lower = self.edges_lower
        for anchor in anchors:
            index = edges_lower.find(anchor)
            for _ in range(MAX_WINDOWS):
                if index < 0:
                    break
                yield index, index + len(anchor) + after
                index = edges_lower.find(anchor, index + len(anchor))


def read_prompt(messages: Sequence[Mapping[str, Any]]) -> Prompt:
    turns = tuple([(str(m.get("role", "")), message_text(m)) for m in messages])
    last_user = ""
    for role, text in reversed(turns):
        if role == "user":
            last_user = text
            break
    parts = [text for role, text in turns if role == "system"]
    parts.append(last_user)
    joined = "\n".join(parts)
    edges = joined
    if any([len(part) > 2 * EDGE_CHARS for part in parts]):
        edges = "\n".join([edge(part) for part in parts])
    return Prompt(joined[-MAX_SCAN_CHARS:], edges, last_user, turns, tuple(parts))


def edge(text: str) -> str:
    """A text's edges: itself, or its first and last `EDGE_CHARS` on two lines."""
    return text if len(text) <= 2 * EDGE_CHARS else f"{text[:EDGE_CHARS]}\n{text[-EDGE_CHARS:]}"
