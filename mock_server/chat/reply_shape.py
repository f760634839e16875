"""A reply in the format a prompt asked for, as parts, and those parts drawn into tokens.

A `Shape` is a tuple of parts: literal text (a marker, a label, a code fence), a `Value` (a
value valid for a JSON Schema, drawn by `schema_values` like structured output, plausible for
its name) or `Prose` (sentences, as a free-text reply has). `render` turns a shape into the
reply's pieces, one token each, from the request's draws: the same request gives the same
reply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any, NamedTuple

import orjson

from mock_server.chat import generate, schema_values
from mock_server.chat.value_names import TEXT_KINDS, name_words

FREE_TEXT = {"type": "string"}


@cache
def _literal_token() -> re.Pattern[str]:
    """Literal text cut as tokens. Compiled on first use (a reply in an asked format): its two
    ideograph ranges take ~2 ms to compile, paid by every start before."""
    return re.compile(r"\s*(?:[A-Za-z0-9_]+|[\u3400-\u9fff]{1,2}|[^\sA-Za-z0-9_\u3400-\u9fff]{1,3})"
                      r"|\s+")


class Value(NamedTuple):
    name: str  # the key or field it is for: values are plausible for it
    schema: Any  # None: typed by the name
    text: bool = False  # a string as bare text (a field's value); otherwise JSON
    indent: bool = False


class Prose(NamedTuple):
    low: int
    high: int


Part = str | Value | Prose
Shape = tuple[Part, ...]


def render(shape: Shape, draws: generate.Draws, chinese: bool) -> list[str]:
    """The pieces of the reply: literal parts as they are, values and prose drawn."""
    pieces: list[str] = []
    for part in shape:
        if isinstance(part, str):
            pieces += _literal_token().findall(part)
        elif isinstance(part, Prose):
            pieces += generate.text_pieces(draws, chinese, draws.between(part.low, part.high))
        else:
            pieces += _value_pieces(part, draws, chinese)
    return pieces


def _value_pieces(part: Value, draws: generate.Draws, chinese: bool) -> list[str]:
    schema = part.schema if part.schema is not None else FREE_TEXT
    if part.text and _free_text(schema, part.name):
        return generate.text_pieces(draws, chinese, draws.between(6, 24))
    value = schema_values.instance(draws.rng, schema, generate.words_maker(chinese),
                                   name=part.name)
    if part.text and isinstance(value, str):
        return _literal_token().findall(value) or [""]
    option = orjson.OPT_INDENT_2 if part.indent else 0
    return generate.split_json(orjson.dumps(value, option=option).decode())


def _free_text(schema: Mapping[str, Any], name: str) -> bool:
    """A plain string with nothing to say what it holds: written as prose."""
    plain = set(schema) <= {"type", "title", "description"} and schema.get("type") == "string"
    return plain and not any(word in TEXT_KINDS for word in name_words(name))
