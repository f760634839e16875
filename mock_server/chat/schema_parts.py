"""The pieces of a JSON Schema the value generator needs resolved: references, `allOf` merged,
types, numeric bounds, and whether a branch can be satisfied at all."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import jsonschema_rs
import orjson

DEFAULT_SPAN = 100


class Context:
    """One draw: its rng, its word maker and the document `$ref`s point into."""

    __slots__ = ("rng", "root", "words")

    def __init__(self, rng: random.Random, words: Callable[[random.Random, int], str],
                 root: Any) -> None:
        self.rng, self.words, self.root = rng, words, root

    def only_one(self, value: Any, chosen: Any, branches: list[Any]) -> bool:
        """Whether no `oneOf` branch other than `chosen` accepts `value`."""
        defs = {k: self.root[k] for k in ("$defs", "definitions")
                if isinstance(self.root, Mapping) and k in self.root}
        for branch in branches:
            if branch is chosen or not isinstance(branch, Mapping):
                continue
            if _validator(orjson.dumps({**defs, **branch}, option=orjson.OPT_SORT_KEYS)) \
                    .is_valid(value):
                return False
        return True


@lru_cache(maxsize=512)
def _validator(schema: bytes) -> Any:
    return jsonschema_rs.validator_for(orjson.loads(schema))


def resolve(ctx: Context, schema: Any) -> Any:
    """`schema` with its `$ref` followed (siblings of the `$ref` kept over the target)."""
    for _ in range(32):
        if not isinstance(schema, Mapping) or not isinstance(schema.get("$ref"), str):
            return schema
        target = _pointer(ctx.root, schema["$ref"])
        siblings = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**target, **siblings} if isinstance(target, Mapping) and siblings else target
    return {}


def _pointer(root: Any, ref: str) -> Any:
    if not ref.startswith("#"):
        return {}
    node = root
    for part in filter(None, ref[1:].split("/")):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return {}
    return node


def merge_all_of(ctx: Context, schema: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        part = resolve(ctx, part)
        if isinstance(part, Mapping) and "allOf" in part:
            part = merge_all_of(ctx, part)
        if isinstance(part, Mapping):
            _merge_into(merged, part)
    return merged


def _merge_into(merged: dict[str, Any], part: Mapping[str, Any]) -> None:
    for key, value in part.items():
        if key not in merged:
            merged[key] = value
        elif key == "properties":
            properties = dict(merged[key])
            for name, sub in value.items():
                properties[name] = {"allOf": [properties[name], sub]} if name in properties else sub
            merged[key] = properties
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key in ("minimum", "minLength", "minItems", "minProperties", "exclusiveMinimum"):
            merged[key] = max(merged[key], value)
        elif key in ("maximum", "maxLength", "maxItems", "maxProperties", "exclusiveMaximum"):
            merged[key] = min(merged[key], value)
        elif key == "type":
            left = merged[key] if isinstance(merged[key], list) else [merged[key]]
            right = value if isinstance(value, list) else [value]
            both = [t for t in left if t in right or (t == "integer" and "number" in right)]
            both += [t for t in right if t == "integer" and "number" in left and t not in both]
            merged[key] = both[0] if len(both) == 1 else both
        elif key == "enum":
            merged[key] = [v for v in merged[key] if v in value]


def types_of(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list) and kind:
        return [str(k) for k in kind]
    if {"properties", "required", "additionalProperties", "patternProperties"} & set(schema):
        return ["object"]
    if {"items", "prefixItems", "minItems", "maxItems"} & set(schema):
        return ["array"]
    if {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"} & set(schema):
        return ["number"]
    return ["string"]


def satisfiable(schema: Any) -> bool:
    if schema is False:
        return False
    if not isinstance(schema, Mapping):
        return True
    negated = schema.get("not")
    if negated is True or negated == {}:
        return False
    if "enum" in schema and not schema["enum"]:
        return False
    if schema.get("type") == []:
        return False
    pairs = (("minimum", "maximum"), ("minLength", "maxLength"), ("minItems", "maxItems"),
             ("minProperties", "maxProperties"))
    return all(not (isinstance(schema.get(a), int | float) and isinstance(schema.get(b), int | float)
                    and schema[a] > schema[b]) for a, b in pairs)


def number_bounds(schema: Mapping[str, Any], integer: bool,
                  hint: tuple[int, int] | None) -> tuple[float, float]:
    """[low, high] a value may take: the schema's bounds (exclusive ones moved inside), with
    the name's plausible range where the schema leaves room for it."""
    low, low_open = _bound(schema, "minimum", "exclusiveMinimum")
    high, high_open = _bound(schema, "maximum", "exclusiveMaximum")
    if hint is not None and (low is None or low <= hint[0]) and (high is None or hint[1] <= high):
        low, high, low_open, high_open = (max(low, hint[0]) if low is not None else hint[0],
                                          hint[1], low_open and low == hint[0], high_open and
                                          high == hint[1])
    if low is None:
        low = min(0.0, high - DEFAULT_SPAN) if high is not None else 0.0
    if high is None:
        high = low + DEFAULT_SPAN
    if integer:
        low_i = math.floor(low) + 1 if low_open and float(low).is_integer() else math.ceil(low)
        high_i = math.ceil(high) - 1 if high_open and float(high).is_integer() else math.floor(high)
        return low_i, high_i
    margin = min(0.01, (high - low) / 4)
    return (low + margin if low_open else low), (high - margin if high_open else high)


def _bound(schema: Mapping[str, Any], inclusive: str, exclusive: str) -> tuple[float | None, bool]:
    value, flag = schema.get(inclusive), schema.get(exclusive)
    if isinstance(flag, bool):  # draft 4: a flag on the inclusive keyword
        return (None if value is None else float(value)), flag
    if isinstance(flag, int | float) and (value is None or flag >= value):
        return float(flag), True
    return (None if value is None else float(value)), False
