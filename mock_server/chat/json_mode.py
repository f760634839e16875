"""What `response_format: json_object` answers: what the prompt asks for.

A JSON Schema written into the messages (instructor's and LangChain's format instructions, and
many hand-written prompts, embed one) is obeyed as `json_schema` would be: the last JSON object
in the system and user texts that looks like a schema (it has `properties`, or a `type` of
object with `$defs`, ...). Otherwise the keys the prompt names (`keys "a" and "b"`,
`fields a, b and c`, `包含键 a、b`) are filled with values plausible for their names. Otherwise
the answer is `{"answer", "confidence"}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from mock_server.chat.value_names import name_words, number_range

_DECODER = json.JSONDecoder()
MAX_SCAN_CHARS = 50_000
_NAMES = r"""[`"'“‘]?[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff-]*[`"'”’]?"""
_LIST = rf"{_NAMES}(?:\s*(?:,|，|、|;|\band\b|\bor\b|和|与|及)\s*{_NAMES})*"
KEY_LIST = re.compile(
    rf"(?:\bkeys?|\bfields?|\bproperties|\battributes|键|字段|属性)\s*(?:named|called|:|：|为|是)?\s*"
    rf"({_LIST})", re.I)
_SPLIT = re.compile(r"\s*(?:,|，|、|;|\band\b|\bor\b|和|与|及)\s*")
_SCHEMA_MARKS = ("properties", "$defs", "definitions", "anyOf", "oneOf", "allOf", "items")
NOT_NAMES = frozenset({"the", "a", "an", "with", "of", "that", "in", "json", "object", "following",
                       "these", "this", "are", "is", "to", "as"})


def prompt_text(messages: Sequence[Mapping[str, Any]]) -> str:
    parts = []
    for message in messages:
        if message.get("role") not in ("system", "user"):
            continue
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        elif isinstance(content, list):
            parts.extend(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return "\n".join(parts)[-MAX_SCAN_CHARS:]


def embedded_schema(text: str) -> Mapping[str, Any] | None:
    """The last JSON object in `text` that looks like a JSON Schema."""
    found: Mapping[str, Any] | None = None
    index = text.find("{")
    while index >= 0:
        try:
            value, end = _DECODER.raw_decode(text, index)
        except ValueError:
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict) and _looks_like_schema(value):
            found = value
        index = text.find("{", end)
    return found


def _looks_like_schema(value: Mapping[str, Any]) -> bool:
    if isinstance(value.get("properties"), Mapping):
        return all(isinstance(v, Mapping) for v in value["properties"].values())
    return value.get("type") in ("object", "array") and any(k in value for k in _SCHEMA_MARKS)


def named_keys(text: str) -> list[str]:
    """The keys a prompt asks for by name, in order."""
    keys: list[str] = []
    for match in KEY_LIST.finditer(text):
        names = _SPLIT.split(match.group(1))
        for raw in names:
            name = raw.strip("`\"'“”‘’ ")
            quoted = name != raw.strip()
            if not name or name in keys or (
                    len(names) == 1 and not quoted and name.lower() in NOT_NAMES):
                continue
            keys.append(name)
    return keys


def schema_for_keys(keys: Sequence[str]) -> dict[str, Any]:
    """A schema for an object of these keys, each typed by its name."""
    return {"type": "object", "properties": {k: _guess(k) for k in keys}, "required": list(keys)}


def _guess(name: str) -> dict[str, Any]:
    words = name_words(name)
    if words and words[0] in ("is", "has", "can", "should", "enabled", "valid"):
        return {"type": "boolean"}
    if number_range(name) is not None:
        return {"type": "integer" if name_words(name)[-1] not in (
            "price", "amount", "cost", "confidence", "probability", "score", "temperature",
            "latitude", "lat", "longitude", "lon", "lng") else "number"}
    if words and words[-1].endswith("s") and words[-1] not in ("address", "status", "class"):
        return {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3}
    return {"type": "string"}


def json_mode_schema(messages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The schema a json_object answer follows, or None for the default shape."""
    text = prompt_text(messages)
    if "{" in text:
        schema = embedded_schema(text)
        if schema is not None:
            return schema
    keys = named_keys(text)
    return schema_for_keys(keys) if keys else None
