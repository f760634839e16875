"""Tool declarations as the model reads them, so that they are counted as the real API counts.

Two renderings (the published Kimi chat templates): K2 declares the tools as compact JSON with
sorted keys; K2.5 and later as TypeScript-like signatures inside `namespace functions { … }`,
descriptions as `//` comments. Schemas this renderer does not know are rendered as `any`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

INDENT = "  "
CONSTRAINTS = {"string": ("maxLength", "minLength", "pattern"),
               "number": ("maximum", "minimum"), "integer": ("maximum", "minimum"),
               "array": ("maxItems", "minItems")}
UNION_NAMES = {"integer": "number", "object": "{}", "array": "Array<any>"}


def tools_json(tools: Sequence[Any]) -> str:
    """The K2 rendering: the declared list as compact JSON, keys sorted."""
    return orjson.dumps(list(tools), option=orjson.OPT_SORT_KEYS).decode()


def tools_typescript(tools: Sequence[Any]) -> str:
    """The K2.5+ rendering (functions only; builtin tools are not declared in it)."""
    functions = [_function(tool["function"]) for tool in tools
                 if isinstance(tool, Mapping) and tool.get("type") == "function"
                 and isinstance(tool.get("function"), Mapping)]
    if not functions:
        return ""
    return "# Tools\n\n## functions\nnamespace functions {\n" + "\n".join(functions) + "\n}\n"


def _comment(text: str, indent: str) -> str:
    return "\n".join(f"{indent}// {line}" if line else "" for line in text.split("\n"))


def _function(function: Mapping[str, Any]) -> str:
    parameters = function.get("parameters")
    parameters = parameters if isinstance(parameters, Mapping) else {}
    defs = parameters.get("$defs") or parameters.get("definitions") or {}
    lines = [f"{_docs(schema, '')}interface {name} {_type(schema, '')}"
             for name, schema in defs.items() if isinstance(schema, Mapping)]
    if function.get("description"):
        lines.append(_comment(str(function["description"]), ""))
    lines.append(f"type {function.get('name', 'function')} = (_: {_object(parameters, '')}) => any;")
    return "\n".join(lines)


def _docs(schema: Any, indent: str) -> str:
    """The comment lines above a field: its description, then its constraints."""
    if not isinstance(schema, Mapping):
        return ""
    text = ""
    if schema.get("description"):
        text += _comment(str(schema["description"]), indent) + "\n"
    kind = schema.get("type")
    names = CONSTRAINTS.get(kind, ()) if isinstance(kind, str) and "enum" not in schema else ()
    found = sorted((k, schema[k]) for k in names if k in schema)
    if found:
        text += indent + "// " + ", ".join(f"{k}: {v}" for k, v in found) + "\n"
    return text


def _type(schema: Any, indent: str) -> str:
    if not isinstance(schema, Mapping) or not schema:
        return "any"
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1] if schema["$ref"] != "#" else "parameters"
    if "anyOf" in schema or "oneOf" in schema:
        return " | ".join(_type(s, indent) for s in schema.get("anyOf") or schema.get("oneOf") or ())
    if "enum" in schema:
        return " | ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in schema["enum"] or ())
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(UNION_NAMES.get(str(k), str(k)) for k in kind)
    if kind == "object":
        return _object(schema, indent)
    if kind == "array":
        return _array(schema.get("items"), indent)
    return "number" if kind == "integer" else str(kind or "any")


def _array(items: Any, indent: str) -> str:
    docs = _docs(items, indent + INDENT)
    if not docs:
        return f"Array<{_type(items, indent)}>"
    return f"Array<\n{docs}{indent}{INDENT}{_type(items, indent + INDENT)}\n{indent}>"


def _object(schema: Mapping[str, Any], indent: str) -> str:
    properties = schema.get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    required = schema.get("required")
    required = set(required) if isinstance(required, list) else set()
    inner = indent + INDENT
    order = sorted(properties, key=lambda name: (name not in required, str(name)))
    fields = [_field(str(name), properties[name], name not in required, inner) for name in order]
    extra = schema.get("additionalProperties")
    if extra is not None:
        kind = "any" if extra is True else "never" if extra is False else _type(extra, inner)
        fields.append(f"{inner}[k: string]: {kind}")
    if not fields:
        return "{}"
    return "{\n" + ",\n".join(fields) + f"\n{indent}}}"


def _field(name: str, schema: Any, optional: bool, indent: str) -> str:
    docs = _docs(schema, indent)
    default = schema.get("default") if isinstance(schema, Mapping) else None
    if default is not None:
        shown = repr(default) if isinstance(default, int | float | bool) else orjson.dumps(default).decode()
        docs += f"{indent}// Default: {shown}\n"
    return f"{docs}{indent}{name}{'?' if optional else ''}: {_type(schema, indent)}"
