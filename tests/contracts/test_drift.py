"""The drift report: two runs side by side, only what differs."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from moonshot_mock_contracts.cli import main
from moonshot_mock_contracts.drift import diff, render_diff
from moonshot_mock_contracts.observations import Exchange, Problem, RunInfo, fold


def result(profile: str, *exchanges: Exchange) -> dict[str, Any]:
    return fold(RunInfo(profile, f"http://{profile}", 0, "1.0.0", "2026-01-01T00:00:00+00:00"),
                exchanges)


CHAT = "POST /v1/chat/completions"
FAKE = result("fake", Exchange(CHAT, "live", 200, "application/json",
                               ("content-type", "msh-request-id"), step="chat"))
REAL = result("live", Exchange(CHAT, "live", 200, "application/json",
                               ("content-type", "msh-request-id", "msh-uid"),
                               (Problem("moonshot_estimate_matches_usage", "Custom check failed",
                                        "estimate 80, prompt_tokens 83"),), step="chat"))


def test_identical_runs_have_no_drift() -> None:
    report = diff(FAKE, copy.deepcopy(FAKE))
    assert report["identical"] is True
    assert "No drift" in render_diff(report)


def test_differences_are_listed_per_step_and_operation() -> None:
    report = diff(FAKE, REAL)
    assert report["steps"]["chat"]["headers"]["only_b"] == ["msh-uid"]
    assert report["steps"]["chat"]["problems"]["only_b"] == [
        "moonshot_estimate_matches_usage: Custom check failed: estimate 80, prompt_tokens 83"]
    assert "status" not in report["steps"]["chat"]
    assert report["operations"][CHAT]["problems"]["only_b"] == [
        "moonshot_estimate_matches_usage: Custom check failed"]
    text = render_diff(report)
    assert "| chat | headers | — | msh-uid |" in text


def test_drift_cli_writes_json_and_markdown(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(FAKE)), b.write_text(json.dumps(REAL))
    assert main(["drift", str(a), str(b), "--out", str(tmp_path / "drift")]) == 0
    assert json.loads((tmp_path / "drift" / "drift.json").read_text())["identical"] is False
    assert (tmp_path / "drift" / "drift.md").read_text().startswith("# Drift report")
    assert main(["drift", str(a), str(tmp_path / "missing.json")]) == 2


def test_runs_of_different_profiles_compare_operations_through_plan_steps() -> None:
    fuzzed = result("fake", Exchange(CHAT, "live", 200, "application/json", ("content-type",),
                                     step="chat"),
                    Exchange(CHAT, "fuzzing", 400, "application/json", ("content-type",)))
    plan_only = result("live", Exchange(CHAT, "live", 200, "application/json", ("content-type",),
                                        step="chat"))
    report = diff(fuzzed, plan_only)
    assert report["identical"] is True and report["operations_from"] == "plan steps"
    same_profile = diff(fuzzed, {**plan_only, "run": fuzzed["run"]})
    assert same_profile["operations"][CHAT]["statuses"]["only_a"] == ["400"]
