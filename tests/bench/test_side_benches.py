"""The side benchmarks run as a user runs them, with the smallest sizes, into a temporary
directory: admission overhead (limits off / on, memory and Redis), upload memory, the time a
batch takes to complete, the cost of counting tokens, the time a Redis concurrency slot takes
to come back, and the Messages door beside chat."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.servers import ROOT


def _run(*argv: str) -> str:
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_admission_benchmark_compares_limits_off_and_on(redis_url: str, tmp_path: Path) -> None:
    _run("-m", "bench.bench_admission", "--count", "40", "--redis-url", redis_url,
         "--out", str(tmp_path))
    rows = json.loads((tmp_path / "admission.json").read_text())["rows"]
    assert list(rows) == ["limits off (memory)", "limits on, memory", "limits on, redis"]
    assert rows["limits off (memory)"]["ratio_vs_off"] == 1.0
    for name in ("limits on, memory", "limits on, redis"):
        assert rows[name]["request_us"] > 0 and rows[name]["admit_release_us"] > 0
    table = (tmp_path / "admission.md").read_text(encoding="utf-8")
    assert "| limits on, redis |" in table and "40 sequential" in table


def test_upload_benchmark_reads_the_servers_peak_memory(tmp_path: Path) -> None:
    _run("bench/bench_upload.py", "--sizes", "2", "--out", str(tmp_path))
    rows = json.loads((tmp_path / "upload.json").read_text())
    assert [(r["store"], r["purpose"]) for r in rows] == [
        ("memory", "batch"), ("memory", "file-extract"),
        ("durable", "batch"), ("durable", "file-extract")]
    for row in rows:
        assert row["size_mb"] == 2 and row["mb_per_s"] > 0
        assert row["peak_rss_mb"] >= row["rss_before_mb"] > 0
    assert (tmp_path / "upload.md").read_text().startswith("# Upload benchmark\n\n| store |")


def test_batch_benchmark_completes_a_batch_both_ways(tmp_path: Path) -> None:
    _run("-m", "bench.bench_batch", "--lines", "50", "--out", str(tmp_path))
    rows = json.loads((tmp_path / "batch.json").read_text())
    assert [(r["clock"], r["lines"]) for r in rows] == [("virtual", 50), ("real", 50)]
    assert all(r["seconds"] > 0 for r in rows)
    assert "| virtual | 50 |" in (tmp_path / "batch.md").read_text(encoding="utf-8")


def test_token_benchmark_times_both_modes(tmp_path: Path) -> None:
    _run("-m", "bench.bench_tokens", "--rounds", "5", "--out", str(tmp_path))
    result = json.loads((tmp_path / "tokens.json").read_text())
    default = result["rows"]["default, english"]
    assert default["new_us"] > 0 and 1800 <= default["tokens"] <= 2300
    assert (tmp_path / "tokens.md").read_text(encoding="utf-8").startswith("# Token counting benchmark")


def test_proxy_benchmark_measures_requests_events_and_replay(tmp_path: Path) -> None:
    _run("-m", "bench.bench_proxy", "--requests", "3", "--streams", "1", "--rounds", "1",
         "--out", str(tmp_path))
    figures = json.loads((tmp_path / "proxy.json").read_text())["figures"]
    assert list(figures) == ["passthrough", "passthrough + record", "replay"]
    assert figures["passthrough"]["events_per_stream"] > 100
    assert figures["replay"]["replay_us"] > 0
    assert "| passthrough + record |" in (tmp_path / "proxy.md").read_text(encoding="utf-8")


def test_messages_benchmark_sets_the_door_beside_chat(tmp_path: Path) -> None:
    _run("-m", "bench.bench_messages", "--requests", "5", "--rounds", "1", "--long-streams", "1",
         "--out", str(tmp_path))
    result = json.loads((tmp_path / "messages.json").read_text())
    for name in ("different", "same", "stream", "per_event"):
        assert result[f"chat_{name}_us"] > 0 and result[f"messages_{name}_us"] > 0
        assert result[f"{name}_ratio"] > 0
    assert result["events_per_long_stream"]["messages"] > 1000
    assert "| per event (long streams) |" in (tmp_path / "messages.md").read_text(encoding="utf-8")


def test_schema_reply_benchmark_reports_its_figures(tmp_path: Path) -> None:
    _run("-m", "bench.bench_schema_reply", "--rounds", "20", "--out", str(tmp_path))
    text = (tmp_path / "schema_reply.md").read_text(encoding="utf-8")
    assert text.startswith("# Reply for a 20-property schema") and "| median | p90 |" in text


def test_asked_format_benchmark_reports_every_kind_of_prompt(tmp_path: Path) -> None:
    _run("-m", "bench.bench_asked_format", "--rounds", "5", "--out", str(tmp_path))
    text = (tmp_path / "asked_format.md").read_text(encoding="utf-8")
    assert text.startswith("# Formats asked for in the prompt")
    for kind in ("prose, short question", "field markers", "ReAct", "JSON in a code block"):
        assert f"| {kind} |" in text


def test_doors_benchmark_compares_responses_with_chat(tmp_path: Path) -> None:
    _run("-m", "bench.bench_doors", "--rounds", "1", "--seconds", "0.3", "--connections", "2",
         "--out", str(tmp_path))
    result = json.loads((tmp_path / "doors.json").read_text())
    assert set(result["results"]) == {"non-stream", "stream"}
    for mode in result["results"].values():
        assert set(mode) == {"chat", "responses"} and all(d["rps"] > 0 for d in mode.values())
    assert result["results"]["stream"]["responses"]["events_per_stream"] > 10
    assert set(result["ratios"]["stream"]) == {"rps", "cpu_per_request", "cpu_per_event"}
    assert "| non-stream | responses |" in (tmp_path / "doors.md").read_text(encoding="utf-8")


def test_lease_benchmark_measures_both_outages(tmp_path: Path) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (make install puts it there)")
    _run("-m", "bench.bench_leases", "--lease", "1", "--down", "0.2", "--out", str(tmp_path))
    table = (tmp_path / "leases.md").read_text(encoding="utf-8")
    assert "| Redis killed mid-stream" in table and "| a replica killed -9 mid-stream" in table
    assert table.count(" s after ") == 2
