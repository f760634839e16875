"""Time to generate a reply for a 20-property JSON Schema (tool arguments / json_schema).

`python -m bench.bench_schema_reply [--rounds N] [--out DIR]` draws arguments for a schema
of 20 properties in the styles clients send (names with plausible values, formats, enums,
bounds, a pattern, a nested `$defs` model, an optional list), each draw with a new seed, and
writes the median, p90 and p99 in microseconds to `bench/results/schema_reply.md`. Target: the
median under 1 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from mock_server.chat import generate

RESULTS = Path(__file__).parent / "results"
TARGET_US = 1000.0

SCHEMA: dict[str, Any] = {
    "$defs": {"Address": {"type": "object", "properties": {
        "street": {"type": "string"}, "city": {"type": "string"},
        "zip": {"type": "string", "pattern": r"^\d{5}$"}},
        "required": ["street", "city", "zip"], "additionalProperties": False}},
    "type": "object", "additionalProperties": False,
    "properties": {
        "name": {"type": "string"}, "email": {"type": "string", "format": "email"},
        "age": {"type": "integer", "minimum": 18, "maximum": 99},
        "city": {"type": "string"}, "country": {"type": "string"},
        "population": {"type": "integer"}, "price": {"type": "number", "exclusiveMinimum": 0},
        "currency": {"type": "string", "enum": ["USD", "EUR", "CNY"]},
        "created_at": {"type": "string", "format": "date-time"},
        "birthday": {"type": "string", "format": "date"},
        "website": {"type": "string", "format": "uri"},
        "id": {"type": "string", "format": "uuid"},
        "score": {"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.5},
        "active": {"type": "boolean"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5,
                 "uniqueItems": True},
        "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{4}$"},
        "description": {"type": "string", "maxLength": 120},
        "address": {"$ref": "#/$defs/Address"},
        "nickname": {"anyOf": [{"type": "string", "minLength": 2}, {"type": "null"}]},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5}},
}


def measure(rounds: int) -> list[float]:
    generate.tool_arguments(random.Random(-1), SCHEMA, False)  # tables and caches made once
    times = []
    for seed in range(rounds):
        rng = random.Random(seed)
        start = time.perf_counter()
        generate.tool_arguments(rng, SCHEMA, False)
        times.append((time.perf_counter() - start) * 1e6)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    times = sorted(measure(args.rounds))
    median = statistics.median(times)
    p90, p99 = times[int(len(times) * 0.9)], times[int(len(times) * 0.99)]
    verdict = "meets" if median < TARGET_US else "MISSES"
    text = (f"# Reply for a 20-property schema\n\n{args.rounds} draws, a new seed each "
            f"(`python -m bench.bench_schema_reply`).\n\n| median | p90 | p99 | target |\n"
            f"| --- | --- | --- | --- |\n| {median:.0f} µs | {p90:.0f} µs | {p99:.0f} µs | "
            f"median < {TARGET_US:.0f} µs: {verdict} |\n")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "schema_reply.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
