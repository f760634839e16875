"""Exact text counts from a Kimi `tiktoken.model` vocabulary (the `tokenizer_file` setting).

The vocabulary is Moonshot AI's byte-level BPE published with its open Kimi K2 models; the
project does not ship it. Loaded once per path (a process may build many apps), its counts of
strings are remembered: clients resend the same system prompts and messages every turn.
Special tokens never occur inside counted text here — the layout counts them itself — so
text is encoded as ordinary text.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from mock_server.settings import ConfigError

TextCount = Callable[[str], int]
TextSplit = Callable[[str], list[bytes]]
COUNT_MEMO_ENTRIES = 4096
# The pre-tokenizer of the Kimi K2 tokenizer (its `pat_str`), alternatives in order.
ALTERNATIVES = [
    r"[\p{Han}]+",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}&&[^\p{Han}]]*"
    r"[\p{Ll}\p{Lm}\p{Lo}\p{M}&&[^\p{Han}]]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}&&[^\p{Han}]]+"
    r"[\p{Ll}\p{Lm}\p{Lo}\p{M}&&[^\p{Han}]]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
    r"\p{N}{1,3}",
    r" ?[^\s\p{L}\p{N}]+[\r\n]*",
    r"\s*[\r\n]+",
    r"\s+(?!\S)",
    r"\s+",
]
PAT_STR = "|".join(ALTERNATIVES)
# The same alternatives in the same order, the six without a look-ahead in one group. The first
# alternative that matches wins either way, so the pieces are the same; but tiktoken's regex
# engine (fancy-regex) then runs the group as one automaton and only the two whitespace
# alternatives in its backtracking machine, instead of trying all eight one after another at
# every piece: a quarter to two fifths less time per text (bench/results/tokens.md).
SPLIT_PATTERN = "(?:" + "|".join(ALTERNATIVES[:6]) + ")|" + "|".join(ALTERNATIVES[6:])


@lru_cache(maxsize=4)
def _encoding(path: Path) -> Any:
    import tiktoken  # only exact mode pays for importing it

    try:
        ranks = read_ranks(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"setting tokenizer_file: cannot read a tiktoken vocabulary from "
                          f"{str(path)!r} ({exc})") from exc
    return tiktoken.Encoding(f"kimi:{path}", pat_str=SPLIT_PATTERN, mergeable_ranks=ranks,
                             special_tokens={})


def load_splitter(path: Path) -> TextSplit:
    """The tokens of a text, as bytes, in the vocabulary at `path` (logprobs' boundaries)."""
    encoding = _encoding(path)

    def split(text: str) -> list[bytes]:
        return [encoding.decode_single_token_bytes(t) for t in encoding.encode_ordinary(text)]

    return split


@lru_cache(maxsize=4)
def load_vocabulary(path: Path) -> TextCount:
    """The counting function of the vocabulary at `path`; a `ConfigError` names a bad file."""
    encode = _encoding(path).encode_ordinary

    @lru_cache(maxsize=COUNT_MEMO_ENTRIES)
    def count(text: str) -> int:
        return len(encode(text)) if text else 0

    return count


def read_ranks(data: bytes) -> dict[bytes, int]:
    """`tiktoken.model` lines: a base64 token, a space, its rank (read here rather than by
    tiktoken's loader, which keeps a copy of local files in a temporary cache)."""
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
    if not ranks:
        raise ValueError("no tokens in the file")
    return ranks
