"""Markdown rendering of one run's result (the JSON stays the machine-readable record)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _counts(counter: Mapping[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in counter.items()) or "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_result(result: Mapping[str, Any]) -> str:
    run, totals = result["run"], result["totals"]
    lines = [
        f"# Contract run — profile `{run['profile']}`",
        "",
        f"- target: `{run['target']}`",
        f"- spec version: {run['spec_version']}; seed: {run['seed']}; started: {run['started']}",
        f"- duration: {run['duration_seconds']} s; requests: {totals['requests']}; "
        f"with problems: {totals['requests_with_problems']}; distinct problems: "
        f"{totals['problems']}; engine errors: {len(run['errors'])}",
        "",
        "## Operations",
        "",
        "| operation | requests | statuses | media types | problems |",
        "|---|---|---|---|---|",
    ]
    for label, op in result["operations"].items():
        lines.append(f"| `{label}` | {op['requests']} | {_counts(op['statuses'])} | "
                     f"{_counts(op['media_types'])} | {len(op['problems'])} |")
    lines += ["", "## Problems", ""]
    lines += _problem_lines(result) or ["None."]
    lines += ["", "## Response headers seen", "", "| operation | header names |", "|---|---|"]
    for label, op in result["operations"].items():
        lines.append(f"| `{label}` | {', '.join(op['headers']) or '—'} |")
    lines += _step_lines(result.get("steps", {}))
    if run["errors"]:
        lines += ["", "## Engine errors", ""] + [f"- {_cell(e)}" for e in run["errors"]]
    return "\n".join(lines) + "\n"


def _problem_lines(result: Mapping[str, Any]) -> list[str]:
    lines = []
    for label, op in result["operations"].items():
        for key, problem in op["problems"].items():
            lines.append(f"- `{label}` — **{key}** x{problem['count']} "
                         f"(status {', '.join(problem['statuses'])})")
            lines += [f"  - {_cell(m)[:400]}" for m in problem["messages"]]
    return lines


def _step_lines(steps: Mapping[str, Any]) -> list[str]:
    if not steps:
        return []
    lines = ["", "## Live-plan steps", "", "| step | operation | status | media type | problems |",
             "|---|---|---|---|---|"]
    for name, step in steps.items():
        problems = "; ".join(_cell(p)[:200] for p in step["problems"]) or "—"
        lines.append(f"| {name} | `{step['operation']}` | {step['status']} | "
                     f"{step['media_type'] or '—'} | {problems} |")
    return lines
