"""`make bench` end to end with the smallest plan: every phase runs its servers and load
processes and yields figures, and the report is written where it is asked to be.

Only the shape and the sanity of the figures are checked, never their size: the machine is
shared, so timings belong in `bench/results/`, not in assertions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from bench import report, run, suite

TINY = suite.Plan(rounds=1, duration=1.0, warmup=0.0, connections=4, cold_starts=1, streams=20,
                  pace=0.01, stream_repeat=1, in_process_requests=100, cache_rounds=1)


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    return run.run(TINY, with_prism=False)


def _clean(load: dict[str, Any]) -> None:
    assert load["requests"] > 0 and load["rps"] > 0
    assert load["errors"] == 0 and load["non2xx"] == 0
    assert 0 < load["p50_ms"] <= load["p99_ms"]
    assert load["cpu_us_per_request"] > 0


def test_throughput_phases_run_bare_and_fake_under_the_same_load(results: dict[str, Any]) -> None:
    for phase in ("chat", "chat_varied"):
        (only,) = results[phase]["rounds"]
        _clean(only["bare"])
        _clean(only["fake"])
        assert only["bare"]["tool"] == only["fake"]["tool"]
        assert results[phase]["ratio"] == only["ratio"] == only["fake"]["rps"] / only["bare"]["rps"]
    assert results["prism"] == {"error": "skipped (--skip-prism)"}


def test_stream_cold_start_and_in_process_phases(results: dict[str, Any]) -> None:
    cold = results["cold_start"]
    assert len(cold["samples"]["mock"]) == len(cold["samples"]["bare"]) == 1
    assert cold["ratio"] == cold["fake_s"] / cold["bare_s"] > 0

    single = results["single_stream"]
    assert single["fake"]["events"] == single["bare"]["events"] > suite.STREAM_EVENTS
    assert single["fake"]["events_per_s"] > 0 and single["bare"]["events_per_s"] > 0

    many = results["streams"]
    assert many["streams"] == TINY.streams and many["errors"] == 0
    assert many["kib_per_stream"] > 0 and many["pace_ms"] == 10

    assert results["in_process"]["ratio"] > 0
    evicted = results["cache_evicted"]
    for key in ("fake_warm_us", "fake_evicted_us", "fake_same_warm_us", "bare_warm_us"):
        assert evicted[key] > 0
    assert results["answer_bytes"] == suite.chat_answer_size()


def test_the_report_is_written_where_asked(results: dict[str, Any], tmp_path: Path) -> None:
    md, js = report.write(results, tmp_path)
    assert (md, js) == (tmp_path / "latest.md", tmp_path / "latest.json")
    text = md.read_text(encoding="utf-8")
    assert "| chat_vs_prism | - | 4 | not measured |" in text
    written = orjson.loads(js.read_bytes())
    judged = written["verdicts"]
    assert set(judged) == set(report.TARGETS) | set(report.BEYOND)
    assert all(v["figure"] is not None for name, v in judged.items() if "prism" not in name)
    assert written["machine"]["cores"] >= 1


def test_prism_that_cannot_be_installed_is_reported_not_run(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(run, "ensure_prism", lambda: "npm is not installed")
    assert run._prism_phase(TINY, None) == {"error": "npm is not installed"}
