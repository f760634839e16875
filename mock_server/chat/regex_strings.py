"""A string that matches a regular expression (JSON Schema `pattern`), drawn from a seeded rng.

Walks the parsed expression (`re._parser`): literals, classes, categories (\\d \\w \\s), `.`,
repeats (open repeats capped), groups, alternation and anchors; look-arounds and back
references are dropped (the string is checked afterwards by the caller). `pattern` is a search:
an expression not anchored at its start or end matches inside any string, so the drawn match
alone is enough.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

OPEN_REPEAT = 3  # extra repeats drawn for `*`, `+` and `{n,}`
DIGITS = "0123456789"
WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"
PRINTABLE = "abcdefghijklmnopqrstuvwxyz0123456789"
CATEGORIES = {c.CATEGORY_DIGIT: DIGITS, c.CATEGORY_WORD: WORD, c.CATEGORY_SPACE: " ",
              c.CATEGORY_NOT_DIGIT: "abcxyz", c.CATEGORY_NOT_WORD: "-. ",
              c.CATEGORY_NOT_SPACE: PRINTABLE}


@lru_cache(maxsize=256)
def parsed(pattern: str) -> Any:
    return sre.parse(pattern)


def matching_string(rng: random.Random, pattern: str) -> str | None:
    """A string matching `pattern` (search), or None when none could be drawn."""
    try:
        tree = parsed(pattern)
        compiled = re.compile(pattern)
    except (re.error, RecursionError):
        return None
    for _ in range(8):
        text = "".join(_emit(rng, tree))
        if compiled.search(text):
            return text
    return None


def _emit(rng: random.Random, items: Any) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        out.extend(_one(rng, op, arg))
    return out


def _one(rng: random.Random, op: Any, arg: Any) -> list[str]:
    if op is c.LITERAL:
        return [chr(arg)]
    if op is c.ANY:
        return [rng.choice(PRINTABLE)]
    if op is c.IN:
        return [_from_class(rng, arg)]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = arg
        high = low + OPEN_REPEAT if high is c.MAXREPEAT else high
        return [part for _ in range(rng.randint(low, high)) for part in _emit(rng, sub)]
    if op is c.SUBPATTERN:
        return _emit(rng, arg[-1])
    if op is c.BRANCH:
        return _emit(rng, rng.choice(arg[1]))
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _emit(rng, arg)
    return []  # anchors, look-arounds, back references


def _from_class(rng: random.Random, items: Any) -> str:
    negate = bool(items) and items[0][0] is c.NEGATE
    choices: list[str] = []
    for op, arg in items[1:] if negate else items:
        if op is c.LITERAL:
            choices.append(chr(arg))
        elif op is c.RANGE:
            low, high = arg
            choices.append(chr(rng.randint(low, min(high, low + 200))))
        elif op is c.CATEGORY:
            choices.append(rng.choice(CATEGORIES.get(arg, PRINTABLE)))
    if negate:
        banned = set(choices)
        free = [ch for ch in PRINTABLE + "-_ " if ch not in banned and
                not any(_in(ch, op, arg) for op, arg in items[1:])]
        return rng.choice(free) if free else "~"
    return rng.choice(choices) if choices else "a"


def _in(ch: str, op: Any, arg: Any) -> bool:
    if op is c.LITERAL:
        return ord(ch) == arg
    if op is c.RANGE:
        return arg[0] <= ord(ch) <= arg[1]
    if op is c.CATEGORY:
        return bool(re.fullmatch({c.CATEGORY_DIGIT: r"\d", c.CATEGORY_WORD: r"\w",
                                  c.CATEGORY_SPACE: r"\s"}.get(arg, r"[^\s\S]"), ch)) if arg in (
            c.CATEGORY_DIGIT, c.CATEGORY_WORD, c.CATEGORY_SPACE) else False
    return False
