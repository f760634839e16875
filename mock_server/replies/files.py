"""Reply files: a directory of `*.yaml`, `*.yml` and `*.json` files, each holding a list of
reply rules (or a mapping with a `replies:` list), loaded at start in file-name order.

A rule without an `id` is named `<file stem>-<n>`; errors name the file and the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from mock_server.data.yaml_load import YAMLError, load_yaml
from mock_server.replies.rules import ErrorCheck, ReplyRule, ReplySyntaxError, parse_rule

SUFFIXES = (".yaml", ".yml", ".json")


def rules_from_list(value: Any, source: str, stem: str,
                    check_error: ErrorCheck | None = None) -> tuple[ReplyRule, ...]:
    """The rules of a `replies:` list (config file or one reply file)."""
    if isinstance(value, Mapping):
        value = value.get("replies", [value])
    if not isinstance(value, list | tuple):
        raise ReplySyntaxError(f"replies must be a list of rules, got {value!r}")
    rules = []
    for number, item in enumerate(value, start=1):
        if isinstance(item, ReplyRule):
            rules.append(item)
            continue
        try:
            rules.append(parse_rule(item, f"{stem}-{number}", source, check_error))
        except ReplySyntaxError as exc:
            raise ReplySyntaxError(f"rule {number}: {exc}") from None
    return tuple(rules)


def load_directory(directory: Path, check_error: ErrorCheck | None = None) -> tuple[ReplyRule, ...]:
    if not directory.is_dir():
        raise ReplySyntaxError(f"replies directory {str(directory)!r} does not exist")
    rules: list[ReplyRule] = []
    for path in sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES):
        try:
            text = path.read_text("utf-8")
            data = orjson.loads(text) if path.suffix == ".json" else load_yaml(text)
            rules.extend(rules_from_list(data or [], f"file:{path.name}", path.stem, check_error))
        except (OSError, YAMLError, orjson.JSONDecodeError, ReplySyntaxError) as exc:
            raise ReplySyntaxError(f"reply file {path.name}: {exc}") from None
    return rules_tuple(rules)


def rules_tuple(rules: list[ReplyRule]) -> tuple[ReplyRule, ...]:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ReplySyntaxError(f"two reply rules have the id {rule.id!r}")
        seen.add(rule.id)
    return tuple(rules)
