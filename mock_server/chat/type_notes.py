"""A type as people write it beside a name, as a JSON Schema.

`schema_of` reads a type expression in the notations prompts use: Python (`int`, `list[str]`,
`Optional[float]`, `Literal['a', 'b']`, `dict[str, int]`, `X | None`), TypeScript (`string`,
`number[]`, `Array<string>`, `"a" | "b"`) and JSON Schema's own words (`integer`, `boolean`,
`array`). `schema_in` finds one inside a note of prose: `(must be formatted as a valid Python
int)`, `the value you produce must be True or False`, `one of: admin; editor`, `must adhere to the
JSON schema: {...}`. Both answer None when the text is no type, so the caller types the value by
its name instead.
"""

from __future__ import annotations

import json
import re
from typing import Any

Schema = dict[str, Any]
_TOKEN = re.compile(r"""\s*(?:(?P<quoted>'[^']*'|"[^"]*")|(?P<number>-?\d+(?:\.\d+)?)|"""
                    r"""(?P<name>[A-Za-z_][\w.]*)|(?P<punct>\[\]|[\[\]<>|,()?]))""")
_WORDS = {"string": "str string text char", "integer": "int integer long bigint",
          "number": "float number double decimal numeric", "boolean": "bool boolean",
          "object": "dict object mapping record json", "array": "list array sequence tuple set",
          "null": "none null nonetype undefined"}
SCALARS: dict[str, Schema] = {
    **{word: {"type": kind} for kind, words in _WORDS.items() for word in words.split()},
    "any": {}, "unknown": {}, "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "email": {"type": "string", "format": "email"},
    "url": {"type": "string", "format": "uri"}, "uuid": {"type": "string", "format": "uuid"},
}
_ARRAYS = frozenset({"list", "array", "sequence", "set", "tuple", "frozenset", "iterable"})
_MAPS = frozenset({"dict", "mapping", "record", "map"})
_JSON_SCHEMA_NOTE = re.compile(r"JSON schema:?\s*(?=\{)", re.I)
_ONE_OF = re.compile(r"\bone of\s*:?\s*(.+)", re.I)
_LIST_OF = re.compile(r"\b(?:list|array|sequence|set) of (\w+?)s?\b", re.I)
_BOOLEAN_NOTE = re.compile(r"\b(?:true or false|true/false|yes or no|yes/no)\b", re.I)
_AFTER_WORDS = re.compile(r"\b(?:valid|type|typed|as an?|as)\s+(?:python\s+|json\s+|typescript\s+)?"
                          r"(?=[A-Za-z_])", re.I)
_TYPE_WORD = re.compile(r"\b(" + "|".join(sorted(
    ("int", "integer", "float", "number", "bool", "boolean", "str", "string", "list",
     "array", "dict", "object"), key=len, reverse=True)) + r")\b", re.I)


def schema_of(text: str) -> Schema | None:
    """The schema of a whole type expression, or None when `text` is not one."""
    tokens = _tokens(text.strip().rstrip(",;"))
    if not tokens:
        return None
    parser = _Parser(tokens)
    try:
        schema = parser.union()
    except (IndexError, ValueError):
        return None
    return schema if parser.done() else None


def schema_in(note: str) -> Schema | None:
    """A type named somewhere in a note of prose, or None."""
    found = _JSON_SCHEMA_NOTE.search(note)
    if found:
        try:
            value, _ = json.JSONDecoder().raw_decode(note, found.end())
            return value if isinstance(value, dict) else None
        except ValueError:
            pass
    whole = schema_of(note)
    if whole is not None:
        return whole
    for start in (m.end() for m in _AFTER_WORDS.finditer(note)):
        head = re.split(r"\s(?![^\[]*\])", note[start:].strip(" .)"), maxsplit=1)[0]
        typed = schema_of(head)
        if typed is not None:
            return typed
    listed = _LIST_OF.search(note)
    if listed:
        return {"type": "array", "items": schema_of(listed.group(1)) or {"type": "string"}}
    return _enum_note(note) or _first_type_word(note)


def _enum_note(note: str) -> Schema | None:
    if _BOOLEAN_NOTE.search(note):
        return {"type": "boolean"}
    found = _ONE_OF.search(note)
    if not found:
        return None
    options = [o.strip(" '\"`.") for o in re.split(r";|,|\bor\b", found.group(1).split("\n")[0])]
    options = [o for o in options if o]
    return {"type": "string", "enum": options} if len(options) > 1 else None


def _first_type_word(note: str) -> Schema | None:
    found = _TYPE_WORD.search(note)
    return dict(SCALARS[found.group(1).lower()]) if found else None


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        found = _TOKEN.match(text, position)
        if not found or found.end() == position:
            return []
        kind = found.lastgroup or ""
        tokens.append((kind, found.group(kind)))
        position = found.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens: union := term ('|' term)*; term := literal | name
    ('[' args ']' | '<' args '>')? '[]'* '?'?."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.at = tokens, 0

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def peek(self) -> str:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else ""

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def union(self) -> Schema:
        branches = [self.term()]
        while self.peek() == "|":
            self.take()
            branches.append(self.term())
        return _union(branches)

    def term(self) -> Schema:
        kind, text = self.take()
        if kind == "quoted":
            schema: Schema = {"const": text[1:-1]}
        elif kind == "number":
            schema = {"const": json.loads(text)}
        elif kind == "name":
            schema = self.named(text)
        else:
            raise ValueError(text)
        while self.peek() in ("[]", "?"):
            if self.take()[1] == "[]":
                schema = {"type": "array", "items": schema}
            else:
                schema = _union([schema, {"type": "null"}])
        return schema

    def named(self, name: str) -> Schema:
        lower = name.split(".")[-1].lower()
        if self.peek() in ("[", "<"):
            closing = "]" if self.take()[1] == "[" else ">"
            args = [self.union()]
            while self.peek() == ",":
                self.take()
                args.append(self.union())
            if self.take()[1] != closing:
                raise ValueError(closing)
            return _generic(lower, args)
        if lower not in SCALARS:
            raise ValueError(name)
        return dict(SCALARS[lower])


def _generic(name: str, args: list[Schema]) -> Schema:
    if name == "literal":
        return {"enum": [a["const"] for a in args if "const" in a]}
    if name == "optional":
        return _union([args[0], {"type": "null"}])
    if name == "union":
        return _union(args)
    if name in _ARRAYS:
        return {"type": "array", "items": args[0]}
    if name in _MAPS:
        return {"type": "object", "additionalProperties": args[-1]}
    raise ValueError(name)


def _union(branches: list[Schema]) -> Schema:
    if all("const" in b for b in branches):
        return {"enum": [b["const"] for b in branches]}
    real = [b for b in branches if b != {"type": "null"}]
    if len(real) == 1 and len(branches) > 1:
        return {"anyOf": [real[0], {"type": "null"}]}
    return real[0] if len(branches) == 1 else {"anyOf": branches}
