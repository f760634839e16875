"""Documented rules the spec states (so generated positive requests stop meeting 400s) agree
value by value with the code that enforces them, and are refused in the rule's own words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mock_server.batches.validate import window_seconds
from mock_server.caching.rules import check_tag
from mock_server.data.spec import load_spec
from mock_server.errors import MoonshotError

SCHEMAS = load_spec().document["components"]["schemas"]
WINDOWS = [f"{n}{unit}" for n in range(0, 200) for unit in "hd"] + [
    "024h", "12", "h", "", "1w", "12H", "7d ", " 7d", "99999d", "12h\n"]
TAGS = ["a", "A", "a" * 128, "a" * 129, "1st", "_x", "x_y.z-9", "x y", "", "é", "x!", "-x", "x\n"]


def accepted(check: Any, value: str) -> bool:
    try:
        check(value)
    except MoonshotError:
        return False
    return True


def spec_accepts(schema: dict[str, Any], value: str) -> bool:
    return re.search(schema["pattern"], value) is not None and "\n" not in value


@pytest.mark.parametrize("window", WINDOWS)
def test_the_spec_states_the_batch_window_rule(window: str) -> None:
    schema = SCHEMAS["BatchCreateRequest"]["properties"]["completion_window"]
    assert spec_accepts(schema, window) == accepted(window_seconds, window)


@pytest.mark.parametrize("tag", TAGS)
def test_the_spec_states_the_tag_rule(tag: str) -> None:
    schema = SCHEMAS["ContextCacheTagCreateRequest"]["properties"]["tag"]
    assert spec_accepts(schema, tag) == accepted(check_tag, tag)
