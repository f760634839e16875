"""Deterministic reply material: text, JSON values and tool arguments, as lists of tokens.

Words come from faker's English and Chinese word lists, loaded once; a `random.Random` seeded
per request and choice picks them, so the same seed and request always give the same reply.
Each returned piece is one token of the reply: the stream sends one piece per event and
`usage.completion_tokens` counts pieces.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import orjson

from mock_server.word_lists import faker_word_list

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
JSON_PIECE_CHARS = 4


@dataclass(frozen=True)
class Vocabulary:
    english: tuple[str, ...]
    chinese: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    return Vocabulary(faker_word_list("en_US"), faker_word_list("zh_CN"))


def is_chinese(text: str) -> bool:
    return _HAN.search(text) is not None


def text_pieces(rng: random.Random, chinese: bool, count: int) -> list[str]:
    """About `count` tokens of prose, ending on a sentence end."""
    pieces: list[str] = []
    while len(pieces) < count:
        pieces.extend(_chinese_sentence(rng) if chinese else _english_sentence(rng, bool(pieces)))
    return pieces


def _english_sentence(rng: random.Random, follows: bool) -> list[str]:
    words = rng.choices(vocabulary().english, k=rng.randint(5, 13))
    first = words[0].capitalize()
    pieces = [(" " if follows else "") + first]
    for index, word in enumerate(words[1:], start=1):
        if index % 7 == 0:
            pieces.append(",")
        pieces.append(" " + word)
    pieces.append(rng.choice((".", ".", ".", "!", "?")) if follows else ".")
    return pieces


def _chinese_sentence(rng: random.Random) -> list[str]:
    words = rng.choices(vocabulary().chinese, k=rng.randint(5, 12))
    pieces: list[str] = []
    for index, word in enumerate(words):
        if index and index % 5 == 0:
            pieces.append("，")
        pieces.extend(word[i : i + 2] for i in range(0, len(word), 2))
    pieces.append("。")
    return pieces


def split_json(text: str) -> list[str]:
    return [text[i : i + JSON_PIECE_CHARS] for i in range(0, len(text), JSON_PIECE_CHARS)] or [""]


def json_value(rng: random.Random, schema: Mapping[str, Any] | None, chinese: bool) -> Any:
    """A value that fits a (simple) JSON Schema; an object of a few fields when there is none."""
    if not schema:
        return {"answer": "".join(text_pieces(rng, chinese, 8)).strip(),
                "confidence": round(rng.random(), 2)}
    return _instance(rng, schema, chinese, depth=0)


def _instance(rng: random.Random, schema: Mapping[str, Any], chinese: bool, depth: int) -> Any:
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(list(schema["enum"]))
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return _instance(rng, schema[key][0], chinese, depth)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties") or {}
        if depth > 4:
            return {}
        return {name: _instance(rng, sub or {}, chinese, depth + 1)
                for name, sub in properties.items()}
    if kind == "array":
        size = max(int(schema.get("minItems", 1)), 1)
        return [_instance(rng, schema.get("items") or {}, chinese, depth + 1) for _ in range(size)]
    if kind == "integer":
        low = int(schema.get("minimum", 0))
        return rng.randint(low, max(low, int(schema.get("maximum", low + 100))))
    if kind == "number":
        low = float(schema.get("minimum", 0))
        return round(rng.uniform(low, float(schema.get("maximum", low + 100))), 2)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    words = vocabulary().chinese if chinese else vocabulary().english
    return ("" if chinese else " ").join(rng.choices(words, k=rng.randint(1, 3)))


def tool_arguments(rng: random.Random, parameters: Mapping[str, Any] | None, chinese: bool) -> str:
    """Arguments for a function call, as the JSON text the real API sends."""
    value = _instance(rng, parameters or {"type": "object"}, chinese, depth=0)
    return orjson.dumps(value).decode()
