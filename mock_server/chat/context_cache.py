"""Automatic context caching: how many prompt tokens a request finds already cached.

The platform caches prompt prefixes by itself (2026 docs: "A new request can hit the prefix
cache only when the previous request's prompt tokens exceed 256"); hits are reported as
`usage.cached_tokens`, always a multiple of 256 (a third-party measurement on kimi-k3). The
fake remembers the last prompts of each account and model; a new prompt's longest common
prefix with one of them (as text: tools, then each message's role and content), converted to
tokens in proportion to the prompt's length and rounded down to 256, is its cached part: never
more than the earlier prompt, and never the new prompt's last token. Deterministic given the
order of requests.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

BLOCK = 256  # cached tokens come in multiples of this; a prompt must exceed it to be cached
RECENT_PROMPTS = 8  # per account and model
KEYS_MAX = 4096  # account-model pairs remembered (least recently used forgotten first)


def prompt_text(body: Mapping[str, Any]) -> str:
    """The prompt as one string whose prefixes follow the prompt's prefixes."""
    parts = [orjson.dumps(body.get("tools") or []).decode()]
    for message in body.get("messages") or ():
        if isinstance(message, Mapping):
            parts.append(f"\x1e{message.get('role')}\x1f")
            content = message.get("content")
            parts.append(content if isinstance(content, str) else orjson.dumps(content).decode())
    return "".join(parts)


def common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix (binary search over slice comparisons, in C)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


class ContextCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._recent: OrderedDict[tuple[str, str], deque[tuple[str, int]]] = OrderedDict()

    def cached_tokens(self, account: str, model: str, body: Mapping[str, Any],
                      prompt_tokens: int) -> int:
        """The cached part of this prompt; the prompt is remembered for the next ones. A prompt
        of at most 256 tokens can neither hit nor be hit: it is not even looked at."""
        if prompt_tokens <= BLOCK:
            return 0
        text = prompt_text(body)
        key = (account, model)
        with self._lock:
            recent = self._recent.pop(key, None) or deque(maxlen=RECENT_PROMPTS)
            self._recent[key] = recent
            if len(self._recent) > KEYS_MAX:
                self._recent.popitem(last=False)
            earlier = list(recent)
            recent.append((text, prompt_tokens))
        return best_hit(text, prompt_tokens, earlier)

    def clear(self) -> None:
        with self._lock:
            self._recent.clear()


def best_hit(text: str, prompt_tokens: int, earlier: Sequence[tuple[str, int]]) -> int:
    best = 0
    for previous, previous_tokens in earlier:
        if previous_tokens <= BLOCK or not text:
            continue
        shared = common_prefix(text, previous)
        tokens = min(prompt_tokens * shared // len(text), previous_tokens, prompt_tokens - 1)
        best = max(best, tokens // BLOCK * BLOCK)
    return best
