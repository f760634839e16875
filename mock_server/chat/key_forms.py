"""The keys a prompt names for an answer, in the forms people write them, with their types
where a note gives one.

- in a sentence: `keys "a" and "b"`, `fields a, b and c`, `keys name (string) and age
  (integer)`, `` fields: `answer`, then `age` (must be formatted as a valid Python int) ``,
  `包含键 a、b`; or a run of quoted names (`with "title", "year" and "genre"`);
- one a line, as a bulleted or numbered list under a line about keys or fields, or with type
  notes: `- name: the person's name`, ``2. `age` (int): their age``;
- as a sketch: `name: str` / `age?: number;` lines (a pydantic class, a TypeScript interface,
  a plain list), or an inline `{ name: string; age: number }`.

`keys_in` gives them in the order they appear; a key's schema is None when no note types it
(the caller types it by its name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mock_server.chat.type_notes import Schema, schema_in, schema_of

Keys = dict[str, Schema | None]
Found = tuple[int, str, Schema | None]  # (position in the text, key, schema)

# a name starts with a letter or an ideograph (\w holds the ideographs after it); the ideographs
# have no case, so they are matched without KEY_LIST's ignore-case flag, which would compile a
# case test for each of the 20,992 of them (~20 ms at start)
_NAME = r"""[`"'“‘]?(?:[A-Za-z_]|(?-i:[\u4e00-\u9fff]))[\w-]*[`"'”’]?"""
_NOTE = r"(?:\s*\((?:[^()\n]|\([^()\n]*\)){1,120}\))?"
_SEP = r"\s*(?:,\s*(?:and\s+|then\s+)?|，|、|;|\band\b|\bor\b|\bthen\b|\bfollowed by\b|和|与|及)\s*"
_LIST = rf"{_NAME}{_NOTE}(?:{_SEP}{_NAME}{_NOTE})*"
KEY_LIST = re.compile(
    rf"(?:\b(?:keys?|fields?|properties|attributes|columns)(?![A-Za-z])|键|字段|属性)\s*"
    rf"(?:named|called|:|：|为|是)?\s*({_LIST})", re.I)
_ITEM = re.compile(rf"(?:{_SEP})?({_NAME})\s*(?:\(((?:[^()\n]|\([^()\n]*\))*)\))?")
_QUOTED = r"""(?:"[A-Za-z_][\w-]*"|'[A-Za-z_][\w-]*'|`[A-Za-z_][\w-]*`)"""
QUOTED_RUN = re.compile(rf"{_QUOTED}(?:{_SEP}{_QUOTED})+")
NOT_NAMES = frozenset({"the", "a", "an", "with", "of", "that", "in", "json", "object", "following",
                       "these", "this", "are", "is", "to", "as", "for", "from", "order"})
KEY_LINE = re.compile(
    r"""^[ \t]*(?P<bullet>[-*•+]|\d{1,2}[.)])?[ \t]*(?P<q>[`"']?)"""
    r"""(?P<name>[A-Za-z_\u4e00-\u9fff]\w*)(?P=q)(?P<opt>\?)?[ \t]*"""
    r"""(?:\((?P<note>(?:[^()\n]|\([^()\n]*\))*)\))?[ \t]*(?P<sep>:|：|=|-(?=\s)|—)?[ \t]*"""
    r"""(?P<rest>.*)$""")
ABOUT_KEYS = re.compile(r"\b(?:keys?|fields?|propert(?:y|ies)|attributes?|columns?|json|schema)\b|"
                        r"键|字段|属性", re.I)
OPENER = re.compile(r"(?:\{|\bclass\s+\w+.*:|\binterface\s+\w+.*\{|\btype\s+\w+\s*=\s*\{)\s*$")
INLINE_SKETCH = re.compile(r"\{([^{}]{3,400})\}")
LITERAL = re.compile(r"""\s*(?:"[^"]*"|'[^']*'|-?\d[\d.]*|true|false|null)\s*""")
_COMMENT = re.compile(r"\s*(?://|#).*$")


def keys_in(text: str) -> Keys:
    """Every key the text names, in order of appearance; typed where a note says."""
    keys: Keys = {}
    for _, name, schema in sorted([*_listed(text), *_quoted(text), *_lines(text),
                                   *_inline_sketches(text)], key=lambda found: found[0]):
        if name not in keys or (keys[name] is None and schema is not None):
            keys[name] = schema
    return keys


def _listed(text: str) -> Iterator[Found]:
    for match in KEY_LIST.finditer(text):
        items = list(_items(match.group(1)))
        for offset, raw, note in items:
            name = raw.strip("`\"'“”‘’ ")
            quoted = name != raw.strip()
            if not name or (len(items) == 1 and not quoted and name.lower() in NOT_NAMES):
                continue
            yield match.start(1) + offset, name, schema_in(note) if note else None


def _items(listed: str) -> Iterator[tuple[int, str, str | None]]:
    """(offset, name, note) of each item of a matched key list, separators skipped."""
    position = 0
    while (item := _ITEM.match(listed, position)) is not None and item.end() > position:
        yield item.start(1), item.group(1), item.group(2)
        position = item.end()


def _quoted(text: str) -> Iterator[Found]:
    for match in QUOTED_RUN.finditer(text):
        for name in re.finditer(_QUOTED, match.group(0)):
            yield match.start() + name.start(), name.group(0)[1:-1], None


def _lines(text: str) -> Iterator[Found]:
    """Bulleted or numbered key lines under a line about keys (or typed), and sketch lines."""
    previous, about, position = "", False, 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        if not line.strip():
            continue
        match = KEY_LINE.match(line)
        found = None
        if match is not None:
            found = _bullet_key(match, about) if match.group("bullet") else \
                _sketch_key(match, previous)
        if found is not None:
            yield start, *found
        elif not (match and match.group("bullet")):
            about = bool(ABOUT_KEYS.search(line))
        previous = line


def _bullet_key(match: re.Match[str], about: bool) -> tuple[str, Schema | None] | None:
    note, sep, rest = match.group("note"), match.group("sep"), match.group("rest").strip()
    if not (sep or note is not None or not rest):
        return None  # "- Be concise": prose, not a key
    schema = schema_in(note) if note else _leading_type(rest)
    if not about and schema is None:
        return None
    return match.group("name"), schema


def _sketch_key(match: re.Match[str], previous: str) -> tuple[str, Schema | None] | None:
    """`name: type` (with `?`, a default or a comment), in a block opened by `{` / a class /
    an interface, or following another such line."""
    if match.group("sep") not in (":", "："):
        return None
    schema = _leading_type(match.group("rest"))
    if schema is None or not (OPENER.search(previous) or _is_sketch_line(previous)):
        return None
    return match.group("name"), schema


def _is_sketch_line(line: str) -> bool:
    match = KEY_LINE.match(line)
    return bool(match and not match.group("bullet") and match.group("sep") in (":", "：")
                and _leading_type(match.group("rest")) is not None)


def _leading_type(rest: str) -> Schema | None:
    """The type a sketch line or a bullet's text starts with: `str = Field(...)`,
    `number; // years`, `integer, the age`."""
    head = _COMMENT.sub("", rest).strip()
    head = re.split(r"\s*(?:=(?!=)|,\s|;|\s-\s|\s—\s|:\s)", head, maxsplit=1)[0].strip(" ,;")
    return schema_of(head) if head else None


def _inline_sketches(text: str) -> Iterator[Found]:
    """`{ name: string; age: number }`: every part a `name: type` pair (a JSON object of
    values, `{"id": 5}`, is data, not a sketch)."""
    for match in INLINE_SKETCH.finditer(text):
        parts = [p.strip() for p in re.split(r"[,;\n]", match.group(1)) if p.strip()]
        pairs = [re.fullmatch(r"""["'`]?([A-Za-z_]\w*)["'`]?\??\s*:\s*(.+)""", p) for p in parts]
        if not pairs or not all(pairs):
            continue
        notes = [_COMMENT.sub("", pair.group(2)) for pair in pairs if pair]
        typed = [schema_of(note) for note in notes]
        if any(schema is None for schema in typed) or any(LITERAL.fullmatch(n) for n in notes):
            continue
        for offset, (pair, schema) in enumerate(zip(pairs, typed, strict=True)):
            if pair is not None:
                yield match.start() + offset, pair.group(1), schema
