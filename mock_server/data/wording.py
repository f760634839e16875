"""Schema violations in the real API's wording: `Invalid request: <field path> <rule>`.

The validators report a failure as a keyword over a path (fastjsonschema's
`JsonSchemaValueException`: `rule`, `path`, `rule_definition`, `value`, `definition`). This
module is the one translation of such a failure into the API's `Invalid request: …` style,
naming the field as a client writes it (`messages[1].content`, `tools[0].function.name`).
`WORDING` has an entry for every keyword a request schema of the spec uses (a test holds the
spec to it). For `anyOf` the alternative of the value's own type is checked again, so
`"stop": ["a", "b", "c", "d", "e", "f"]` reads `stop must have at most 5 items` rather than
"cannot be validated by any definition". A field whose schema carries `x-rule` (the documented
rule in words, where its pattern would read as noise) is refused in those words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import fastjsonschema
import orjson

Words = Callable[[Any, Any], str]  # (the keyword's value, the offending value) -> the rule text

_TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number",
               "boolean": "a boolean", "array": "an array", "object": "an object", "null": "null"}
# the documented spelling of a pattern where the spec's regex had to be written differently
DOCUMENTED_PATTERNS = {"^[a-zA-Z_\\$][a-zA-Z0-9_-]{2,63}$": "^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$",
                       "^[a-zA-Z_\\$][a-zA-Z0-9_-]{0,127}$": "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$",
                       "^[a-zA-Z_][a-zA-Z0-9_-]{0,127}$": "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$"}
# keywords that never fail on their own: a failure inside them is reported by the keyword that
# failed, at its field (`then: {required: [call_id]}` reads `input[2].call_id is required`)
STRUCTURAL = frozenset({"allOf", "if", "then", "else"})


def _alternatives(names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _type(expected: Any, _value: Any) -> str:
    kinds = [expected] if isinstance(expected, str) else list(expected)
    return "must be " + _alternatives([_TYPE_NAMES.get(k, k) for k in kinds])


def _plural(count: Any, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _missing(names: Any, value: Any) -> str:
    """The first required field the object lacks (`describe` appends it to the path)."""
    return next((n for n in names if not isinstance(value, Mapping) or n not in value), names[0])


def _enum(options: Any, _value: Any) -> str:
    if len(options) == 1:
        return f"must be {options[0]}"
    return "must be one of " + ", ".join("null" if o is None else str(o) for o in options)


def _property_names(rule: Any, value: Any) -> str:
    """The first key past `maxLength` (the only key rule the spec states)."""
    limit = rule.get("maxLength") if isinstance(rule, Mapping) else None
    keys = value if isinstance(value, Mapping) else {}
    bad = next((key for key in keys if limit is not None and len(key) > limit), None)
    if bad is None:
        return "has a key that is not allowed"
    return f"keys must be at most {_plural(limit, 'character')}, got {bad!r}"


def _pattern(pattern: Any, _value: Any) -> str:
    return f"must match pattern {DOCUMENTED_PATTERNS.get(pattern, pattern)}"


WORDING: Mapping[str, Words] = {
    "type": _type,
    "required": lambda _names, _value: "is required",
    "enum": _enum,
    "const": lambda c, _v: f"must be {orjson.dumps(c).decode()}",
    "minimum": lambda m, _v: f"must be greater than or equal to {m}",
    "maximum": lambda m, _v: f"must be less than or equal to {m}",
    "exclusiveMinimum": lambda m, _v: f"must be greater than {m}",
    "exclusiveMaximum": lambda m, _v: f"must be less than {m}",
    "multipleOf": lambda m, _v: f"must be a multiple of {m}",
    "minLength": lambda m, _v: f"must be at least {_plural(m, 'character')} long",
    "maxLength": lambda m, _v: f"must be at most {_plural(m, 'character')} long",
    "minItems": lambda m, _v: f"must have at least {_plural(m, 'item')}",
    "maxItems": lambda m, _v: f"must have at most {_plural(m, 'item')}",
    "uniqueItems": lambda _m, _v: "must not contain duplicate items",
    "minProperties": lambda m, _v: f"must have at least {_plural(m, 'field')}",
    "maxProperties": lambda m, _v: f"must have at most {_plural(m, 'field')}",
    "additionalProperties": lambda _m, v: "has unknown fields",
    "propertyNames": _property_names,
    "pattern": _pattern,
    "anyOf": lambda options, _v: "must be " + _alternatives(_branch_names(options)),
    "oneOf": lambda options, _v: "must be " + _alternatives(_branch_names(options)),
    "not": lambda _m, _v: "has a value that is not allowed",
    # `if`/`then`: the failing keyword inside `then` is reported (`required` …), never these
    "if": lambda _m, _v: "is invalid",
    "then": lambda _m, _v: "is invalid",
}


def _branch_names(options: Sequence[Any]) -> list[str]:
    names: list[str] = []
    for option in options:
        kinds = option.get("type", "value") if isinstance(option, Mapping) else "value"
        for kind in [kinds] if isinstance(kinds, str) else kinds:
            if kind == "array" and isinstance(option.get("items"), Mapping):
                item = option["items"].get("type")
                names.append(f"an array of {item}s" if isinstance(item, str) else "an array")
            else:
                names.append(_TYPE_NAMES.get(kind, f"a valid {kind}"))
    return names


def field_path(path: Sequence[Any]) -> str:
    """`['data', 'messages', '1', 'content']` -> `messages[1].content` (`body` for the root)."""
    text = ""
    for part in path[1:]:
        text += f"[{part}]" if str(part).isdigit() else f".{part}"
    return text.lstrip(".") or "body"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value), "")


def _branch_for(options: Sequence[Any], value: Any) -> Any:
    """The one alternative whose `type` admits the value, or None (then the types are named)."""
    kind = _json_type(value)
    fitting = []
    for option in options:
        kinds = option.get("type") if isinstance(option, Mapping) else None
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or ())
        if kind in kinds or (kind == "integer" and "number" in kinds):
            fitting.append(option)
    if len(fitting) > 1 and isinstance(value, Mapping):
        return _tagged_branch(fitting, value)
    return fitting[0] if len(fitting) == 1 else None


def _tags(option: Mapping[str, Any]) -> list[Any]:
    """The values an object alternative's `type` property admits (its tag), if it has one."""
    tag = (option.get("properties") or {}).get("type")
    if not isinstance(tag, Mapping):
        return []
    return list(tag.get("enum") or ([tag["const"]] if "const" in tag else []))


def _tagged_branch(options: Sequence[Any], value: Mapping[str, Any]) -> Any:
    """Among object alternatives told apart by their `type` tag (content blocks, stream
    events), the one the value's tag names; when it names none, a schema of the tag alone, so
    the error reads `….type must be one of text, image, …` rather than naming the types."""
    tags = [_tags(option) for option in options]
    if not all(tags):
        return None
    chosen = [o for o, admitted in zip(options, tags, strict=True) if value.get("type") in admitted]
    if chosen:
        return chosen[0] if len(chosen) == 1 else None
    every = list(dict.fromkeys(tag for admitted in tags for tag in admitted))
    return {"type": "object", "required": ["type"], "properties": {"type": {"enum": every}}}


@lru_cache(maxsize=64)
def _branch_validator(schema_json: bytes) -> Callable[[Any], Any]:
    return fastjsonschema.compile(orjson.loads(schema_json))


def _documented_rule(exc: fastjsonschema.JsonSchemaValueException) -> str | None:
    """A field whose schema states a documented rule in words (`x-rule`: a pattern standing for
    "12h to 7d", say) is refused in those words with the value, whatever keyword failed but its
    type."""
    definition = exc.definition
    if exc.rule == "type" or not isinstance(definition, Mapping) or "x-rule" not in definition:
        return None
    if exc.rule == "required":  # the missing field is named: there is no value to show
        return str(definition["x-rule"])
    return f"{definition['x-rule']}, got {exc.value!r}"


def describe(exc: fastjsonschema.JsonSchemaValueException, path: Sequence[Any] | None = None) -> str:
    """The `Invalid request: …` text of one validator failure."""
    path = list(exc.path if path is None else path)
    rule = exc.rule or ""
    if rule in ("anyOf", "oneOf") and isinstance(exc.rule_definition, list):
        branch = _branch_for(exc.rule_definition, exc.value)
        if branch is not None:
            try:
                _branch_validator(orjson.dumps(branch, option=orjson.OPT_SORT_KEYS))(exc.value)
            except fastjsonschema.JsonSchemaValueException as inner:
                return describe(inner, path + list(inner.path[1:]))
            except (fastjsonschema.JsonSchemaDefinitionException, TypeError):
                pass  # a branch with a reference left in place: name the types instead
    if rule == "required":
        path.append(_missing(exc.rule_definition, exc.value))
    documented = _documented_rule(exc)
    if documented is not None:
        return f"Invalid request: {field_path(path)} {documented}"
    words = WORDING.get(rule)
    if words is None:
        return f"Invalid request: {field_path(path)} is invalid"
    return f"Invalid request: {field_path(path)} {words(exc.rule_definition, exc.value)}"
