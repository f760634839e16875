"""Deterministic reply material: text, JSON values and tool arguments, as lists of tokens.

Words come from faker's English and Chinese word lists, loaded once. Prose is made of numbered
sentences (4,096 per language, built the first time a reply uses them and kept), and a reply
is a run of sentence numbers drawn from its request's digest (`Draws`). So the same seed and
request always give the same reply, and a new request costs a few table lookups rather than a
word-by-word draw. Structured values (JSON, tool arguments) draw from a
`random.Random` seeded with the same digest.
Each returned piece is one token of the reply: the stream sends one piece per event and
`usage.completion_tokens` counts pieces.
"""

from __future__ import annotations

import hashlib
import random
import re
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from mock_server.chat import schema_values
from mock_server.data.word_lists import faker_word_list

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
JSON_PIECE_CHARS = 4
SENTENCES = 1 << 12  # per language: 4,096 sentences, built on first use
SENTENCE_BLOCK = 64  # sentences built together, from one `random.Random` (seeding costs more)
REFILL_BYTES = 64


@dataclass(frozen=True)
class Vocabulary:
    english: tuple[str, ...]
    chinese: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(faker_word_list("en_US"), faker_word_list("zh_CN"))


def is_chinese(text: str) -> bool:
    return not text.isascii() and _HAN.search(text) is not None


class Draws:
    """Every draw one reply makes, from its digest: sentence numbers and lengths are taken from
    the digest's 16-bit words (more words are hashed from it when a long reply needs them);
    structured values use `rng`, a `random.Random` seeded with the digest, made the first time
    it is needed."""

    __slots__ = ("_digest", "_refills", "_rng", "_words")

    def __init__(self, digest: bytes) -> None:
        self._digest = digest
        self._words = iter(_unpacker(len(digest))(digest))
        self._refills = 0
        self._rng: random.Random | None = None

    def word(self) -> int:
        """The next 16 bits."""
        value = next(self._words, None)
        if value is None:
            self._refills += 1
            more = hashlib.blake2b(self._digest + self._refills.to_bytes(4, "little"),
                                   digest_size=REFILL_BYTES).digest()
            self._words = iter(_unpacker(REFILL_BYTES)(more))
            value = next(self._words)
        return value

    def fork(self, label: bytes) -> Draws:
        """Draws of their own, from this digest and `label` (none of this one's are used)."""
        return Draws(hashlib.blake2b(self._digest + label, digest_size=len(self._digest)).digest())

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high] (32 bits reduced modulo the span: a bias of span / 2**32)."""
        return low + ((self.word() << 16) | self.word()) % (high - low + 1) if high > low else low

    def sentence(self) -> int:
        return self.word() & (SENTENCES - 1)

    @property
    def rng(self) -> random.Random:
        if self._rng is None:
            self._rng = random.Random(self._digest)
        return self._rng


@cache
def _unpacker(size: int) -> Callable[[bytes], tuple[int, ...]]:
    """The 16-bit little-endian words of `size` bytes."""
    return struct.Struct(f"<{size // 2}H").unpack


Sentence = tuple[str, ...]


class Sentences:
    """The numbered sentences of one language, each as (opening form, following form), built a
    block at a time on first use and kept: block `b` is drawn from `random.Random(b)`."""

    def __init__(self, build: Callable[[random.Random], tuple[Sentence, Sentence]]) -> None:
        self._build = build
        self._made: list[tuple[Sentence, Sentence] | None] = [None] * SENTENCES

    def __getitem__(self, index: int) -> tuple[Sentence, Sentence]:
        made = self._made[index]
        if made is None:
            first = index - index % SENTENCE_BLOCK
            rng = random.Random(first // SENTENCE_BLOCK)
            self._made[first : first + SENTENCE_BLOCK] = [
                self._build(rng) for _ in range(SENTENCE_BLOCK)]
            made = self._made[index]
            assert made is not None
        return made

    def run(self, draws: Draws, count: int) -> list[str]:
        """Sentences drawn from `draws` until they hold at least `count` pieces: the first in
        its opening form, the others as they follow."""
        made = self._made
        index = draws.sentence()
        pieces = list((made[index] or self[index])[0])
        while len(pieces) < count:
            index = draws.sentence()
            pieces += (made[index] or self[index])[1]
        return pieces


@cache
def sentences(chinese: bool) -> Sentences:
    return Sentences(_chinese_sentence if chinese else _english_sentence)


def text_pieces(draws: Draws, chinese: bool, count: int) -> list[str]:
    """About `count` tokens of prose (at least `count`), ending on a sentence end."""
    if count <= 0:
        return []
    return sentences(chinese).run(draws, count)


def _english_sentence(rng: random.Random) -> tuple[Sentence, Sentence]:
    """A sentence opening a reply (no leading space, a full stop) and as it follows another."""
    words = rng.choices(vocabulary().english, k=rng.randint(5, 13))
    first = words[0].capitalize()
    middle: list[str] = []
    for index, word in enumerate(words[1:], start=1):
        if index % 7 == 0:
            middle.append(",")
        middle.append(" " + word)
    end = rng.choice((".", ".", ".", "!", "?"))
    return (first, *middle, "."), (" " + first, *middle, end)


def _chinese_sentence(rng: random.Random) -> tuple[Sentence, Sentence]:
    words = rng.choices(vocabulary().chinese, k=rng.randint(5, 12))
    pieces: list[str] = []
    for index, word in enumerate(words):
        if index and index % 5 == 0:
            pieces.append("，")
        pieces.extend(word[i : i + 2] for i in range(0, len(word), 2))
    pieces.append("。")
    sentence = tuple(pieces)
    return sentence, sentence


def split_json(text: str) -> list[str]:
    return [text[i : i + JSON_PIECE_CHARS] for i in range(0, len(text), JSON_PIECE_CHARS)] or [""]


def json_value(draws: Draws, schema: Mapping[str, Any] | None, chinese: bool) -> Any:
    """A value valid for a JSON Schema; an object of a few fields when there is none."""
    if not schema:
        return {"answer": "".join(text_pieces(draws, chinese, 8)).strip(),
                "confidence": round(draws.rng.random(), 2)}
    return schema_values.instance(draws.rng, schema, words_maker(chinese))


def _english_words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(vocabulary().english, k=max(1, count)))


def _chinese_words(rng: random.Random, count: int) -> str:
    return "".join(rng.choices(vocabulary().chinese, k=max(1, count)))


def words_maker(chinese: bool) -> schema_values.Words:
    return _chinese_words if chinese else _english_words


def tool_arguments(rng: random.Random, parameters: Mapping[str, Any] | None, chinese: bool) -> str:
    """Arguments for a function call (valid for its parameters schema), as the JSON text the
    real API sends."""
    value = schema_values.instance(rng, parameters or {"type": "object"}, words_maker(chinese))
    return orjson.dumps(value).decode()
