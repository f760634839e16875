"""Side-by-side diff of two runs (typically the fake and the real API): where they differ.

A side may also be a recording (moonshot_mock_contracts/recorded.py): its exchanges are the steps, and the
fake's answers to the same requests the other side.

Steps of the live plan are the same requests in both runs, so they compare one to one. Per
operation the view lists the sets seen on each side and only what differs; when the two runs
used different profiles (the fake profile also fuzzes, the live one does not), the operation
view is built from the plan steps alone, so that it compares like with like.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATION_FIELDS = ("statuses", "media_types", "headers", "problems")
# `shape` and `framing` come from recordings (moonshot_mock_contracts/recorded.py); runs do not have them
STEP_FIELDS = ("status", "media_type", "headers", "problems", "shape", "framing")


def _keys(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return sorted(value)
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return [] if value is None else [str(value)]


def _compare(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None,
             fields: tuple[str, ...]) -> dict[str, Any]:
    differences = {}
    for name in fields:
        left, right = _keys((a or {}).get(name)), _keys((b or {}).get(name))
        if left != right:
            differences[name] = {"only_a": sorted(set(left) - set(right)),
                                 "only_b": sorted(set(right) - set(left)),
                                 "a": left, "b": right}
    if a is None or b is None:
        differences["presence"] = {"a": a is not None, "b": b is not None}
    return differences


def operations_from_steps(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per operation, what the plan steps alone saw (same shape as the result's operations)."""
    view: dict[str, dict[str, Any]] = {}
    for step in result.get("steps", {}).values():
        entry = view.setdefault(step["operation"], {name: {} for name in OPERATION_FIELDS})
        entry["statuses"][str(step["status"])] = 1
        if step["media_type"]:
            entry["media_types"][step["media_type"]] = 1
        entry["headers"].update(dict.fromkeys(step["headers"], 1))
        entry["problems"].update(dict.fromkeys(step.get("checks", ()), 1))
    return view


def diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """What differs between run A and run B, per step and per operation."""
    steps = {name: d for name in sorted(set(a.get("steps", {})) | set(b.get("steps", {})))
             if (d := _compare(a.get("steps", {}).get(name), b.get("steps", {}).get(name),
                               STEP_FIELDS))}
    same_profile = a["run"]["profile"] == b["run"]["profile"]
    left = a["operations"] if same_profile else operations_from_steps(a)
    right = b["operations"] if same_profile else operations_from_steps(b)
    operations = {label: d for label in sorted(set(left) | set(right))
                  if (d := _compare(left.get(label), right.get(label), OPERATION_FIELDS))}
    return {"a": a["run"], "b": b["run"], "steps": steps, "operations": operations,
            "operations_from": "all requests" if same_profile else "plan steps",
            "identical": not steps and not operations}


def render_diff(report: Mapping[str, Any]) -> str:
    a, b = report["a"], report["b"]
    lines = ["# Drift report", "",
             f"- **A**: profile `{a['profile']}`, target `{a['target']}`, {a['started']}",
             f"- **B**: profile `{b['profile']}`, target `{b['target']}`, {b['started']}", ""]
    if report["identical"]:
        return "\n".join([*lines, "No drift: every step and operation saw the same.", ""])
    lines += ["## Live-plan steps (same requests on both sides)", "",
              "| step | field | A | B |", "|---|---|---|---|"]
    lines += _rows(report["steps"]) or ["| (none differ) | | | |"]
    lines += ["", f"## Operations (sets seen on each side, from {report['operations_from']})", "",
              "| operation | field | only in A | only in B |", "|---|---|---|---|"]
    for label, fields in report["operations"].items():
        for name, d in fields.items():
            if name == "presence":
                lines.append(f"| `{label}` | tested | {d['a']} | {d['b']} |")
            else:
                only_a, only_b = _join(d["only_a"]), _join(d["only_b"])
                lines.append(f"| `{label}` | {name} | {only_a} | {only_b} |")
    return "\n".join(lines) + "\n"


def _rows(steps: Mapping[str, Any]) -> list[str]:
    rows = []
    for step, fields in steps.items():
        for name, d in fields.items():
            if name == "presence":
                rows.append(f"| {step} | ran | {d['a']} | {d['b']} |")
            elif name in ("headers", "problems", "shape", "framing"):
                rows.append(f"| {step} | {name} | {_join(d['only_a'])} | {_join(d['only_b'])} |")
            else:
                rows.append(f"| {step} | {name} | {_join(d['a'])} | {_join(d['b'])} |")
    return rows


def _join(values: list[str]) -> str:
    text = ", ".join(v.replace("|", "\\|").replace("\n", " ")[:160] for v in values)
    return text or "—"
