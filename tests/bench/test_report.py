"""The results table `make bench` writes: figures judged against their bars, Markdown and JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from bench import report
from bench.stats import median, percentile


def _load(rps: float, cpu: float = 50.0) -> dict[str, Any]:
    return {"requests": int(rps * 5), "rps": rps, "p50_ms": 1.5, "p99_ms": 4.0, "errors": 0,
            "non2xx": 0, "tool": "wrk", "cpu_us_per_request": cpu}


def _throughput(ratios: list[float]) -> dict[str, Any]:
    rounds = [{"bare": _load(20000.0), "fake": _load(20000.0 * r), "ratio": r,
               "cpu_ratio": r} for r in ratios]
    middle = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
    return {"rounds": rounds, "median": middle, "ratio": middle["ratio"]}


def results(prism_rps: float | None = 1000.0, same: float = 0.48, varied: float = 0.32,
            cold: float = 1.19, events: float = 1.2, kib: float = 39.7,
            added_ms: float = 0.0033) -> dict[str, Any]:
    """A whole run's results, shaped as `bench.run.run` returns them."""
    prism: dict[str, Any] = {"error": "skipped (--skip-prism)"}
    if prism_rps is not None:
        prism = {"load": _load(prism_rps), "cold_start_s": 2.0,
                 "fake": {"chat": _load(9300.0), "chat_varied": _load(6300.0)}}
    return {
        "when": "2026-11-22 10:00 UTC", "plan": {}, "answer_bytes": 426,
        "chat": _throughput([same - 0.02, same, same + 0.01]),
        "chat_varied": _throughput([varied - 0.03, varied, varied + 0.02]),
        "prism": prism,
        "cold_start": {"fake_s": 0.209, "bare_s": 0.209 / cold, "ratio": cold, "samples": {}},
        "single_stream": {"fake": {"events": 2001, "events_per_s": 95000.0 * events},
                          "bare": {"events": 2001, "events_per_s": 95000.0},
                          "added_ms_per_event": added_ms},
        "streams": {"streams": 1000, "pace_ms": 100.0, "kib_per_stream": kib,
                    "gap_p99_ms": 135.0, "errors": 0, "rss_before_kib": 60000,
                    "rss_open_kib": 100000},
        "in_process": {"fake_per_s": 4148.0, "fake_stream_per_s": 900.0, "bare_per_s": 5458.0,
                       "ratio": 0.76},
        "cache_evicted": {"fake_warm_us": 78.0, "fake_evicted_us": 146.0, "bare_warm_us": 11.0,
                          "bare_evicted_us": 29.0, "fake_same_warm_us": 41.0,
                          "fake_same_evicted_us": 87.0, "warm_ratio": 11 / 78,
                          "evicted_ratio": 29 / 146, "warm_same_ratio": 11 / 41,
                          "evicted_same_ratio": 29 / 87},
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gib": 23.5, "kernel": "6.18",
                    "python": "3.11.7", "packages": {"starlette": "1.10.0", "uvloop": None},
                    "wrk": "wrk 4.1.0", "node": "v20.20.2", "prism": "5.14.2"},
    }


def test_percentiles_are_nearest_rank() -> None:
    samples = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(samples, 50) == 3.0
    assert percentile(samples, 99) == 5.0
    assert percentile(samples, 0) == 1.0
    assert percentile(list(range(1, 101)), 99) == 99
    assert median([2.0, 1.0, 4.0, 3.0]) == 2.0
    assert percentile([], 50) == 0.0


def test_every_bar_is_judged_in_its_direction() -> None:
    judged = report.verdicts(results())
    assert {name for name, v in judged.items() if v["scope"] == "target"} == set(report.TARGETS)
    assert {name for name, v in judged.items() if v["scope"] == "beyond"} == set(report.BEYOND)
    assert judged["chat_vs_bare"]["met"] is False  # 0.48 < 0.60
    assert judged["chat_varied_vs_bare"]["met"] is False
    assert judged["events_vs_bare"] == {"figure": pytest.approx(1.2), "bar": 0.9,
                                        "scope": "target", "met": True}
    assert judged["chat_vs_prism"]["figure"] == pytest.approx(9.3)
    assert judged["chat_varied_vs_prism"]["figure"] == pytest.approx(6.3)

    limits = report.verdicts(results(same=0.59, varied=0.46, cold=1.31, events=0.89, kib=47.9,
                                     added_ms=0.21))
    assert {name: limits[name]["met"] for name in report.TARGETS} == {
        "chat_vs_bare": False, "chat_varied_vs_bare": True, "chat_vs_prism": True,
        "cold_start_vs_bare": False, "events_vs_bare": False, "kib_per_stream": True,
        "added_ms_per_event": False}
    assert report.verdicts(results(kib=48.1))["kib_per_stream"]["met"] is False
    exact = report.verdicts(results(same=0.60, varied=0.45, cold=1.3, events=0.9, kib=48.0,
                                    added_ms=0.2))
    assert all(exact[name]["met"] for name in report.TARGETS)


def test_prism_not_measured_is_said_not_guessed() -> None:
    data = results(prism_rps=None)
    judged = report.verdicts(data)
    assert judged["chat_vs_prism"] == {"figure": None, "bar": 4.0, "scope": "target",
                                       "met": None}
    text = report.markdown(data)
    assert "| Prism | - | - | - | - | - | not measured: skipped (--skip-prism) |" in text
    assert "| chat_vs_prism | - | 4 | not measured |" in text


def test_markdown_and_json_are_written_together(tmp_path: Path) -> None:
    md, js = report.write(results(), tmp_path / "out")
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# moonshot-mock benchmark — 2026-11-22 10:00 UTC\n")
    assert "Machine: Test CPU, 2 cores, 23.5 GiB, Linux 6.18, Python 3.11.7; starlette 1.10.0;" \
        in text
    assert "| moonshot-mock, same request | 9,600 |" in text
    assert "48% of bare (median round; rounds 46%, 48%, 49%)" in text
    assert "32% of bare (median round; rounds 29%, 32%, 34%)" in text
    assert "fake is 9.3x Prism (same request), 6.3x (varied)" in text
    assert "| cold start, spawn to first 200 (median) | 209 ms | 176 ms (bare uvicorn) | 1.19x |" \
        in text
    targets, beyond = text.split("| target | figure | limit | met |")[1].split(
        "| beyond the targets | figure | bar | met |")
    assert "| chat_vs_bare | 0.48 | 0.6 | NO |" in targets
    assert "| chat_varied_vs_bare | 0.32 | 0.45 | NO |" in targets
    assert "| events_vs_bare | 1.2 | 0.9 | yes |" in targets
    assert "| chat_varied_vs_prism | 6.3 | 4 | yes |" in beyond

    written = orjson.loads(js.read_bytes())
    assert written["verdicts"]["chat_vs_bare"] == {"figure": 0.48, "bar": 0.6,
                                                   "scope": "target", "met": False}
    assert written["chat"]["ratio"] == 0.48
    assert "verdicts" not in results()  # the caller's data is left as it was


def test_emptied_cache_rows_only_when_measured() -> None:
    data = results()
    assert "caches emptied | 78 / 146 us | 11 / 29 us (bare app) | 14% / 20% |" \
        in report.markdown(data)
    del data["cache_evicted"]
    assert "caches emptied" not in report.markdown(data)
