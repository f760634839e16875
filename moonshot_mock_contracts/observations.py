"""What a run saw, as plain data: one `Exchange` per request, folded into a JSON-ready result.

The result is what the reports and the drift diff read; it never holds a key or a body, only
what is comparable between two servers: statuses, media types, header names, problems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

RESULT_VERSION = 1
MAX_MESSAGES = 5


@dataclass(frozen=True)
class Problem:
    check: str
    title: str
    message: str


@dataclass(frozen=True)
class Exchange:
    operation: str  # "POST /v1/chat/completions"
    phase: str
    status: int | None  # None: no answer (transport error)
    media_type: str = ""
    header_names: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    step: str | None = None  # the live plan's step name, when the request came from it


@dataclass
class RunInfo:
    profile: str
    target: str
    seed: int | None
    spec_version: str
    started: str
    duration_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fold(info: RunInfo, exchanges: Iterable[Exchange]) -> dict[str, Any]:
    """The result document: per operation and per plan step, what was seen."""
    operations: dict[str, dict[str, Any]] = {}
    steps: dict[str, dict[str, Any]] = {}
    total = failures = 0
    for exchange in exchanges:
        total += 1
        failures += bool(exchange.problems)
        _add(operations.setdefault(exchange.operation, _empty()), exchange)
        if exchange.step:
            steps[exchange.step] = _step(exchange)
    return {
        "version": RESULT_VERSION,
        "run": {**info.__dict__},
        "totals": {"requests": total, "requests_with_problems": failures,
                   "problems": sum(len(o["problems"]) for o in operations.values())},
        "operations": {k: _finish(v) for k, v in sorted(operations.items())},
        "steps": dict(sorted(steps.items())),
    }


def _empty() -> dict[str, Any]:
    return {"requests": 0, "statuses": Counter(), "media_types": Counter(),
            "headers": Counter(), "phases": Counter(), "problems": {}}


def _add(entry: dict[str, Any], exchange: Exchange) -> None:
    entry["requests"] += 1
    entry["statuses"][str(exchange.status or "no answer")] += 1
    if exchange.media_type:
        entry["media_types"][exchange.media_type] += 1
    entry["headers"].update(exchange.header_names)
    entry["phases"][exchange.phase] += 1
    for problem in exchange.problems:
        key = f"{problem.check}: {problem.title}"
        seen = entry["problems"].setdefault(key, {"count": 0, "statuses": set(), "messages": []})
        seen["count"] += 1
        seen["statuses"].add(str(exchange.status))
        if problem.message not in seen["messages"] and len(seen["messages"]) < MAX_MESSAGES:
            seen["messages"].append(problem.message)


def _finish(entry: Mapping[str, Any]) -> dict[str, Any]:
    problems = {k: {**v, "statuses": sorted(v["statuses"])} for k, v in entry["problems"].items()}
    return {
        "requests": entry["requests"],
        "statuses": dict(sorted(entry["statuses"].items())),
        "media_types": dict(sorted(entry["media_types"].items())),
        "headers": dict(sorted(entry["headers"].items())),
        "phases": dict(sorted(entry["phases"].items())),
        "problems": dict(sorted(problems.items())),
    }


def _step(exchange: Exchange) -> dict[str, Any]:
    return {"operation": exchange.operation, "status": exchange.status,
            "media_type": exchange.media_type, "headers": list(exchange.header_names),
            "checks": sorted({f"{p.check}: {p.title}" for p in exchange.problems}),
            "problems": [f"{p.check}: {p.title}: {p.message}" for p in exchange.problems]}
