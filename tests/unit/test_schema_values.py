"""Generated JSON values validate against the caller's schema: the whole corpus, many seeds."""

from __future__ import annotations

import random
from typing import Any

import jsonschema_rs
import orjson
import pytest

from mock_server.chat import generate
from mock_server.chat.regex_strings import matching_string
from tests.schema_corpus import CORPUS

SEEDS = range(8)


def validator(schema: Any) -> Any:
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def invalid_draws(schema: dict[str, Any]) -> list[str]:
    check = validator(schema)
    bad = []
    for seed in SEEDS:
        for chinese in (False, True):
            value = orjson.loads(generate.tool_arguments(random.Random(seed), schema, chinese))
            errors = [e.message for e in check.iter_errors(value)]
            if errors:
                bad.append(f"seed {seed}: {value!r}: {errors[:2]}")
    return bad


def test_every_corpus_schema_gets_valid_values(capsys: pytest.CaptureFixture[str]) -> None:
    """All corpus schemas x 8 seeds x (English, Chinese): 100% validate; the count is reported."""
    failures = {name: bad for name, schema in CORPUS if (bad := invalid_draws(schema))}
    total = len(CORPUS) * len(SEEDS) * 2
    with capsys.disabled():
        print(f"\nschema corpus: {len(CORPUS)} schemas, {total - sum(map(len, failures.values()))}"
              f"/{total} generated values valid")
    assert len(CORPUS) >= 200
    assert not failures, "\n".join(f"{n}: {b[0]}" for n, b in failures.items())


def test_same_seed_same_value_and_names_give_plausible_values() -> None:
    schema = {"type": "object", "properties": {
        "city": {"type": "string"}, "email": {"type": "string"},
        "population": {"type": "integer"}, "created_at": {"type": "string"}},
        "required": ["city", "email", "population", "created_at"]}
    first = generate.tool_arguments(random.Random(5), schema, False)
    assert first == generate.tool_arguments(random.Random(5), schema, False)
    value = orjson.loads(first)
    assert "@" in value["email"] and value["population"] >= 10_000
    assert value["city"][0].isupper() and value["created_at"][:2] in ("20", "19")


@pytest.mark.parametrize("pattern", [r"^[A-Z]{2}-\d{3,5}$", r"^\+?[1-9]\d{1,14}$",
                                     r"^(?:[a-z]+\.)+[a-z]{2,}$", r"[^0-9]{4}", r"^(yes|no)$"])
def test_pattern_strings_match(pattern: str) -> None:
    import re

    for seed in range(20):
        text = matching_string(random.Random(seed), pattern)
        assert text is not None and re.search(pattern, text)
