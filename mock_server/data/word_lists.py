"""Faker's lorem word lists, read as data from its installed sources without importing faker.

Importing faker scans every locale (≈70-80 ms), which was most of the fake's first chat answer
after a cold start. The word lists are plain tuple literals, so they are read with `ast` and
`literal_eval` (≈2 ms for both); if a faker release ever builds them differently, the lists
come from an ordinary import instead. Either way the words and their order are faker's. A list
read is kept in the spec cache's directory as JSON, keyed by its module's text
(`spec_cache.data_path`): a later start reads it back in a few microseconds instead of the
≈1-7 ms `literal_eval` of en_US's 971 words takes; and once read, a list is remembered.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from functools import cache
from pathlib import Path

from mock_server.data import spec_cache

_ASSIGNMENT = "word_list = ("


@cache
def faker_word_list(locale: str) -> tuple[str, ...]:
    """`faker.providers.lorem.<locale>.Provider.word_list`."""
    words = _literal_word_list(locale)
    if words is None:
        module = importlib.import_module(f"faker.providers.lorem.{locale}")
        words = tuple(module.Provider.word_list)
    return words


def _literal_word_list(locale: str) -> tuple[str, ...] | None:
    spec = importlib.util.find_spec("faker")
    if spec is None or not spec.submodule_search_locations:
        return None
    source = Path(spec.submodule_search_locations[0], "providers", "lorem", locale, "__init__.py")
    try:
        text = source.read_text("utf-8")
    except OSError:
        return None
    where = spec_cache.data_path(text)
    cached = spec_cache.load_data(where)
    if isinstance(cached, list) and cached and all(isinstance(w, str) for w in cached):
        return tuple(cached)
    words = _assigned_tuple(text) or _walked_word_list(text)
    if words is not None:
        spec_cache.store_data(where, list(words))
    return words


def _assigned_tuple(text: str) -> tuple[str, ...] | None:
    """The `word_list = (...)` literal alone (en_US's module is 66 KB, its list a fraction):
    ~1 ms instead of ~11 ms for parsing the whole module."""
    start = text.find(_ASSIGNMENT)
    end = text.find(")", start)
    if start < 0 or end < 0:
        return None
    try:
        value = ast.literal_eval(text[start + len(_ASSIGNMENT) - 1 : end + 1])
    except (ValueError, SyntaxError):
        return None
    if isinstance(value, tuple) and value and all(isinstance(w, str) for w in value):
        return value
    return None


def _walked_word_list(text: str) -> tuple[str, ...] | None:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "word_list" for target in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return None
            return tuple(value) if all(isinstance(w, str) for w in value) else None
    return None
