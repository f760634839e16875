"""A JSON value that validates against a JSON Schema, drawn from a seeded rng.

Covers what tool and response schemas use: `$ref` into `$defs`/`definitions` (or any JSON
pointer in the document; recursion stops at `MAX_DEPTH`, where the smallest valid value is
chosen), `allOf` (merged), `anyOf`/`oneOf` (a satisfiable branch; for `oneOf` one that no other
branch accepts), `enum`/`const`, type lists, string lengths, `pattern` and `format`, numeric
bounds (inclusive, exclusive in both drafts' forms) and `multipleOf`, array item counts,
`uniqueItems`, `prefixItems`, and objects' `required`, `additionalProperties`,
`patternProperties` and property counts. Values are plausible for their property's name
(`value_names`). The same rng state gives the same value.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Any

from mock_server.chat.regex_strings import matching_string
from mock_server.chat.schema_parts import (
    Context,
    merge_all_of,
    number_bounds,
    resolve,
    satisfiable,
    types_of,
)
from mock_server.chat.value_names import number_range, text_for

MAX_DEPTH = 6
Words = Callable[[random.Random, int], str]


def instance(rng: random.Random, schema: Any, words: Words, root: Any = None,
             name: str = "") -> Any:
    """A value valid for `schema`; `words(rng, n)` makes free text of about n words; `name`:
    what the value is called (a field's or tool's name), for a plausible value."""
    return _value(Context(rng, words, schema if root is None else root), schema, name, 0)


def _value(ctx: Context, schema: Any, name: str, depth: int) -> Any:
    schema = resolve(ctx, schema)
    if schema is True or schema is None or schema == {}:
        return _free(ctx, name)
    if not isinstance(schema, Mapping):
        return None
    if "allOf" in schema:
        schema = merge_all_of(ctx, schema)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][ctx.rng.randrange(len(schema["enum"]))]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return _branch(ctx, schema, key, name, depth)
    kinds = types_of(schema)
    kind = _pick_type(ctx, kinds, depth)
    maker = MAKERS.get(kind)
    return None if maker is None else maker(ctx, schema, name, depth)


def _pick_type(ctx: Context, kinds: list[str], depth: int) -> str:
    if len(kinds) == 1:
        return kinds[0]
    if depth >= MAX_DEPTH and "null" in kinds:
        return "null"
    real = [k for k in kinds if k != "null"] or kinds
    return real[0] if len(real) == 1 else real[ctx.rng.randrange(len(real))]


def _branch(ctx: Context, schema: Mapping[str, Any], key: str, name: str, depth: int) -> Any:
    base = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    branches = [resolve(ctx, b) for b in schema[key]]
    usable = [b for b in branches if satisfiable(b)] or branches
    if depth >= MAX_DEPTH:  # the simplest first: null, then scalars
        usable.sort(key=lambda b: 0 if isinstance(b, Mapping) and b.get("type") == "null" else 1)
        order = usable
    else:
        non_null = [b for b in usable if not (isinstance(b, Mapping) and b.get("type") == "null")]
        order = non_null or usable
        start = ctx.rng.randrange(len(order))
        order = order[start:] + order[:start]
    for branch in order:
        merged = {**base, **branch} if base and isinstance(branch, Mapping) else branch
        if base and isinstance(branch, Mapping) and ("type" in base or "properties" in base):
            merged = {"allOf": [base, branch]}
        value = _value(ctx, merged, name, depth)
        if key == "anyOf" or ctx.only_one(value, branch, branches):
            return value
    return _value(ctx, order[0], name, depth)


def _free(ctx: Context, name: str) -> Any:
    text = text_for(ctx.rng, name, None)
    return text if text is not None else ctx.words(ctx.rng, 2)


def _string(ctx: Context, schema: Mapping[str, Any], name: str, depth: int) -> str:
    low = int(schema.get("minLength", 0))
    high = int(schema.get("maxLength", max(low, 200)))
    rng = ctx.rng
    if schema.get("pattern"):
        for _ in range(16):
            text = matching_string(rng, str(schema["pattern"]))
            if text is not None and low <= len(text) <= high:
                return text
    text: str | None = text_for(rng, name, schema.get("format"))
    if text is None:
        text = ctx.words(rng, rng.randint(1, 3) if high > 40 else 1)
    if len(text) > high:
        text = text[:high].rstrip() if not schema.get("format") else text[:high]
    while len(text) < low:
        text += ("" if not text else " ") + ctx.words(rng, 1)
    return text[:high] if len(text) > high else text


def _number(ctx: Context, schema: Mapping[str, Any], name: str, depth: int) -> float | int:
    integer = types_of(schema)[0] == "integer" or "integer" in types_of(schema)
    low, high = number_bounds(schema, integer, number_range(name))
    step = schema.get("multipleOf")
    rng = ctx.rng
    if step:
        first, last = -(-low // step), high // step
        if first > last:
            return low
        value = rng.randint(int(first), int(last)) * step
        return int(value) if integer or (float(value).is_integer() and isinstance(step, int)) \
            else value
    if integer:
        return rng.randint(int(low), int(high))
    return round(rng.uniform(low, high), 2) if high - low > 0.02 else low


def _array(ctx: Context, schema: Mapping[str, Any], name: str, depth: int) -> list[Any]:
    rng = ctx.rng
    low = int(schema.get("minItems", 0))
    high = int(schema.get("maxItems", low + max(0, 3 - depth)))  # fewer items deeper down
    if depth >= MAX_DEPTH:
        high = low
    prefix = schema.get("prefixItems") or (schema["items"] if isinstance(schema.get("items"), list)
                                           else [])
    items = schema.get("items") if not isinstance(schema.get("items"), list) \
        else schema.get("additionalItems", True)
    size = max(rng.randint(min(max(low, 1), high), high) if high >= 1 else 0, len(prefix) if
               high >= len(prefix) else 0, low)
    singular = name[:-1] if name.endswith("s") else name
    values: list[Any] = []
    for index in range(size):
        sub = prefix[index] if index < len(prefix) else (items if items is not None else {})
        for _ in range(8):
            value = _value(ctx, sub, singular, depth + 1)
            if not schema.get("uniqueItems") or value not in values:
                break
        values.append(value)
    return values


def _object(ctx: Context, schema: Mapping[str, Any], name: str, depth: int) -> dict[str, Any]:
    properties = schema.get("properties") or {}
    required = [r for r in schema.get("required") or () if isinstance(r, str)]
    names = list(properties) if depth < MAX_DEPTH else [p for p in properties if p in required]
    names += [r for r in required if r not in names]
    most = schema.get("maxProperties")
    if most is not None and len(names) > most:
        names = required + [p for p in names if p not in required][: max(0, most - len(required))]
    value = {key: _value(ctx, properties.get(key, _extra_schema(schema)), key, depth + 1)
             for key in names}
    extra = _extra_schema(schema)
    number = 0
    if schema.get("patternProperties"):
        extra = {}
    while len(value) < int(schema.get("minProperties", 0)) and extra is not False:
        number += 1
        key = _extra_name(ctx, schema, number)
        value[key] = _value(ctx, (schema.get("patternProperties") or {}).get(
            next(iter(schema.get("patternProperties") or {}), ""), extra), key, depth + 1)
    return value


def _extra_schema(schema: Mapping[str, Any]) -> Any:
    extra = schema.get("additionalProperties", True)
    return {} if extra is True else extra


def _extra_name(ctx: Context, schema: Mapping[str, Any], number: int) -> str:
    patterns = list(schema.get("patternProperties") or {})
    if patterns:
        found = matching_string(ctx.rng, patterns[0])
        if found:
            return found
    return f"extra_{number}"


MAKERS: dict[str, Callable[[Context, Mapping[str, Any], str, int], Any]] = {
    "string": _string, "integer": _number, "number": _number, "array": _array,
    "object": _object, "boolean": lambda ctx, s, n, d: ctx.rng.random() < 0.5,
    "null": lambda ctx, s, n, d: None,
}
