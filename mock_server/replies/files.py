"""The rules of a reply-rule file or of the config file's `replies:` list: a list of reply rules
(or a mapping with a `replies:` list). A rule without an `id` is named `<file stem>-<n>`;
errors name the rule. A replies directory is read by the one loader, `reply_files.py`, which
tells rule files and recorded exchanges apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def rules_tuple(rules: list[ReplyRule]) -> tuple[ReplyRule, ...]:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ReplySyntaxError(f"two reply rules have the id {rule.id!r}")
        seen.add(rule.id)
    return tuple(rules)
