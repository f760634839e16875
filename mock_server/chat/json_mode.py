"""What a JSON answer follows when the prompt says what it wants (`response_format:
json_object`, or a prompt asking for JSON in so many words, `asked_format`).

A JSON Schema written into the messages (instructor's and LangChain's format instructions, and
many hand-written prompts, embed one) is obeyed as `json_schema` would be: the last JSON object
in the system and user texts that looks like a schema (it has `properties`, or a `type` of
object with `$defs`, ...). Otherwise an example object in the text is followed: same keys,
values of the same types (a placeholder such as `"{age}  # note: ... int"` or `"integer"` says
its type). Otherwise the keys the prompt names in any of the forms `key_forms` reads (lists,
type notes, bullets, sketches) are filled with values plausible for their names. Otherwise the
answer is `{"answer", "confidence"}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mock_server.chat.value_names import name_words, number_range

if TYPE_CHECKING:
    from mock_server.chat.key_forms import Keys
    from mock_server.chat.type_notes import Schema

_DECODER = json.JSONDecoder()
MAX_SCAN_CHARS = 50_000
_SCHEMA_MARKS = ("properties", "$defs", "definitions", "anyOf", "oneOf", "allOf", "items")
PLACEHOLDER = re.compile(r"^\s*(?:\{[^{}]*\}|<[^<>]*>|\[[^\[\]]*\]|\.\.\.)\s*(?:#\s*(?:note:)?\s*(.*))?$",
                         re.S)
EXAMPLE_CUE = re.compile(r"\b(?:example|e\.g\.|for instance|like this|like so|format|formatted|"
                         r"following|shape|structure|template|schema|such as|as follows)\b|"
                         r"示例|例如|格式|如下", re.I)
_FRACTIONS = ("price", "amount", "cost", "confidence", "probability", "score", "temperature",
              "latitude", "lat", "longitude", "lon", "lng")


def message_text(message: Mapping[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if isinstance(p, Mapping))
    return ""


def prompt_text(messages: Sequence[Mapping[str, Any]]) -> str:
    parts = [message_text(m) for m in messages if m.get("role") in ("system", "user")]
    return "\n".join(parts)[-MAX_SCAN_CHARS:]


def json_objects(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every JSON object written in `text` (outermost ones), with where it starts, in order."""
    index = text.find("{")
    while index >= 0:
        try:
            value, end = _DECODER.raw_decode(text, index)
        except ValueError:
            index = text.find("{", index + 1)
            continue
        if isinstance(value, dict):
            yield index, value
        index = text.find("{", end)


def embedded_schema(text: str) -> Mapping[str, Any] | None:
    """The last JSON object in `text` that looks like a JSON Schema."""
    found = None
    for _, value in json_objects(text):
        if _looks_like_schema(value):
            found = value
    return found


def _looks_like_schema(value: Mapping[str, Any]) -> bool:
    if isinstance(value.get("properties"), Mapping):
        return all(isinstance(v, Mapping) for v in value["properties"].values())
    return value.get("type") in ("object", "array") and any(k in value for k in _SCHEMA_MARKS)


def schema_from_text(text: str) -> Mapping[str, Any] | None:
    """The schema an answer asked for in `text` follows, or None for the default shape."""
    from mock_server.chat.key_forms import keys_in  # on first use, with its patterns

    objects = list(json_objects(text)) if "{" in text else []
    schemas = [o for _, o in objects if _looks_like_schema(o)]
    if schemas:
        return schemas[-1]
    keys = keys_in(text)
    examples = [o for start, o in objects if o and _is_example(text, start, o)]
    if examples and (not keys or set(keys) & set(examples[-1])):
        return example_schema(examples[-1], "")
    return schema_for_keys(keys) if keys else None


def _is_example(text: str, start: int, value: Mapping[str, Any]) -> bool:
    """An object shown as the answer's shape (introduced as an example, a format, the fields
    ..., or holding placeholders), not data given to work on."""
    from mock_server.chat.type_notes import schema_of  # on first use, with its patterns

    return EXAMPLE_CUE.search(text, max(0, start - 120), start) is not None or any(
        isinstance(v, str) and (PLACEHOLDER.match(v) or schema_of(v)) for v in value.values())


def example_schema(value: Any, name: str) -> Schema:
    """A schema for values like this example: its keys, and values of the same types."""
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return _string_example(value, name)
    if isinstance(value, list):
        singular = name[:-1] if name.endswith("s") else name
        items = example_schema(value[0], singular) if value else guess(singular)
        return {"type": "array", "items": items, "minItems": 1, "maxItems": max(3, len(value))}
    if isinstance(value, dict):
        return {"type": "object", "properties": {k: example_schema(v, k) for k, v in value.items()},
                "required": list(value)}
    return guess(name)


def _string_example(value: str, name: str) -> Schema:
    """`"{age}  # note: ... int"` and `"<integer>"` are placeholders typed by their note or
    name; `"integer"` names its type; any other string is an example of a string."""
    from mock_server.chat.type_notes import schema_in, schema_of  # on first use

    placeholder = PLACEHOLDER.match(value)
    if placeholder:
        note = placeholder.group(1)
        return (schema_in(note) if note else None) or schema_of(value.strip("{}<>[] ")) \
            or guess(name)
    return schema_of(value) or {"type": "string"}


def schema_for_keys(keys: Keys | Sequence[str]) -> dict[str, Any]:
    """A schema for an object of these keys, each typed by its note, else by its name."""
    typed = keys if isinstance(keys, Mapping) else dict.fromkeys(keys)
    return {"type": "object", "properties": {k: s or guess(k) for k, s in typed.items()},
            "required": list(typed)}


def guess(name: str) -> dict[str, Any]:
    """A type for a value called `name`: is_/has_ flags, counts and measures, plurals."""
    words = name_words(name)
    if words and words[0] in ("is", "has", "can", "should", "enabled", "valid"):
        return {"type": "boolean"}
    if number_range(name) is not None:
        return {"type": "number" if words[-1] in _FRACTIONS else "integer"}
    if words and words[-1].endswith("s") and words[-1] not in ("address", "status", "class"):
        return {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3}
    return {"type": "string"}


def json_mode_schema(messages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The schema a json_object answer follows, or None for the default shape."""
    return schema_from_text(prompt_text(messages))
