"""`logprobs` / `top_logprobs` of a chat answer: one entry per token of the content.

The tokens are the content's own: the planned pieces (each counted as one completion token)
by default, the vocabulary's tokens with a `tokenizer_file` (exact boundaries; a token may
end inside a multi-byte character, so its `bytes` are the truth and its `token` text the
bytes decoded with replacement). The log probabilities are drawn from a hash of the token
and its position, so the same answer always carries the same numbers; the `top_logprobs`
alternatives are the token itself first, then other common tokens, each less likely.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NamedTuple

Split = Callable[[str], list[bytes]]  # a text's tokens, as the vocabulary splits it
LATIN = (" the", " a", ",", ".", " and", " of", " to", " is", "\n", " in", " I", " it", " that",
         " for", " with", ":", "\"", " you", " on", " be")
HAN = ("的", "是", "了", "，", "。", "在", "和", "我", "有", "不", "这", "中", "人", "一", "\n", "：")


class Logprobs(NamedTuple):
    """What a request asked for: `top` alternatives per token (0-20), and the vocabulary's
    split when there is one."""

    top: int
    split: Split | None = None


def _draw(token: bytes, position: int, salt: bytes = b"") -> float:
    digest = hashlib.blake2b(token + salt, digest_size=8, key=b"%d" % position).digest()
    return int.from_bytes(digest, "big") / 2**64


def _entry(token: bytes, logprob: float) -> dict[str, Any]:
    return {"token": token.decode("utf-8", "replace"), "logprob": logprob, "bytes": list(token)}


def token_entry(token: bytes, position: int, top: int) -> dict[str, Any]:
    """One position: the token, its log probability (in (-2.5, 0]), and `top` alternatives."""
    logprob = -round(2.5 * _draw(token, position) ** 3, 6)
    entry = _entry(token, logprob)
    alternatives = [_entry(token, logprob)] if top else []
    first, then = (LATIN, HAN) if token.isascii() else (HAN, LATIN)
    start = int(_draw(token, position, b"alt") * len(first))
    candidates = [first[(start + i) % len(first)].encode() for i in range(len(first))]
    candidates += [other.encode() for other in then if other not in first]  # 20 at most
    step = logprob
    for candidate in candidates:
        if len(alternatives) >= top:
            break
        if candidate != token:
            step = round(step - 0.5 - 3 * _draw(candidate, position, token), 6)
            alternatives.append(_entry(candidate, step))
    entry["top_logprobs"] = alternatives
    return entry


def content_tokens(pieces: Sequence[str], split: Split | None) -> list[bytes]:
    if split is None:
        return [piece.encode() for piece in pieces]
    return split("".join(pieces))


def content_entries(pieces: Sequence[str], asked: Logprobs) -> list[dict[str, Any]]:
    """The `logprobs.content` of a whole answer."""
    return [token_entry(token, position, asked.top)
            for position, token in enumerate(content_tokens(pieces, asked.split))]


def entries_by_piece(pieces: Sequence[str], asked: Logprobs) -> Iterator[list[dict[str, Any]]]:
    """The entries of each streamed piece: a token goes with the piece in which it starts, so
    the chunks' entries put together are the non-stream answer's."""
    entries = content_entries(pieces, asked)
    starts: list[int] = []
    offset = 0
    for entry in entries:
        starts.append(offset)
        offset += len(entry["bytes"])
    taken, end = 0, 0
    for piece in pieces:
        end += len(piece.encode())
        first = taken
        while taken < len(entries) and starts[taken] < end:
            taken += 1
        yield entries[first:taken]
