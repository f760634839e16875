"""The results table: Markdown for people, JSON for tools, both under bench/results/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

TARGETS = {  # the speed targets: the latest bar each figure has been set
    "chat_vs_bare": 0.60,  # at least: the same chat request every time
    "chat_varied_vs_bare": 0.45,  # at least: a different chat request every time
    "chat_vs_prism": 4.0,  # at least
    "cold_start_vs_bare": 1.3,  # at most
    "events_vs_bare": 0.9,  # at least: one unpaced stream's events/s over the bare app's
    "kib_per_stream": 48.0,  # at most
    "added_ms_per_event": 0.2,  # at most
}
BEYOND = {  # the varied workload against Prism, under the same bar as the same request's
    "chat_varied_vs_prism": 4.0,  # at least
}
AT_LEAST = {"chat_vs_bare", "chat_vs_prism", "chat_varied_vs_bare", "chat_varied_vs_prism",
            "events_vs_bare"}


def verdicts(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each bar with its measured figure, whether it is met (None: not measured) and its scope:
    "target" for the speed targets, "beyond" for the figure no target names."""
    figures = {
        "chat_vs_bare": results["chat"]["ratio"],
        "chat_vs_prism": _prism_ratio(results),
        "cold_start_vs_bare": results["cold_start"]["ratio"],
        "events_vs_bare": _events_ratio(results["single_stream"]),
        "kib_per_stream": results["streams"]["kib_per_stream"],
        "added_ms_per_event": results["single_stream"]["added_ms_per_event"],
        "chat_varied_vs_bare": results["chat_varied"]["ratio"],
        "chat_varied_vs_prism": _prism_ratio(results, "chat_varied"),
    }
    bars = {**TARGETS, **BEYOND}
    return {name: {"figure": value, "bar": bars[name],
                   "scope": "target" if name in TARGETS else "beyond",
                   "met": None if value is None else
                   (value >= bars[name] if name in AT_LEAST else value <= bars[name])}
            for name, value in figures.items()}


def _events_ratio(single: dict[str, Any]) -> float:
    return float(single["fake"]["events_per_s"]) / single["bare"]["events_per_s"]


def _prism_ratio(results: dict[str, Any], phase: str = "chat") -> float | None:
    prism = results.get("prism") or {}
    if "load" not in prism:
        return None
    fake = (prism.get("fake") or {}).get(phase) or results[phase]["median"]["fake"]
    return float(fake["rps"]) / prism["load"]["rps"]


def _load_row(name: str, load: dict[str, Any], note: str = "") -> str:
    cpu = load.get("cpu_us_per_request")
    return (f"| {name} | {load['rps']:,.0f} | {load['p50_ms']:.2f} | {load['p99_ms']:.2f} | "
            f"{'-' if cpu is None else f'{cpu:.0f}'} | {load['errors'] + load['non2xx']} | "
            f"{note} |")


def _rounds(phase: dict[str, Any]) -> str:
    return ", ".join(f"{r['ratio']:.0%}" for r in phase["rounds"])


def throughput_table(results: dict[str, Any]) -> list[str]:
    chat, varied = results["chat"]["median"], results["chat_varied"]["median"]
    rows = ["| server (non-stream chat) | req/s | p50 ms | p99 ms | CPU us/req | errors | note |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
            _load_row("bare Starlette (ceiling), same-request rounds", chat["bare"]),
            _load_row("moonshot-mock, same request", chat["fake"],
                      f"{results['chat']['ratio']:.0%} of bare (median round; rounds "
                      f"{_rounds(results['chat'])})"),
            _load_row("bare Starlette (ceiling), varied rounds", varied["bare"]),
            _load_row("moonshot-mock, every request differs", varied["fake"],
                      f"{results['chat_varied']['ratio']:.0%} of bare (median round; rounds "
                      f"{_rounds(results['chat_varied'])})")]
    prism = results.get("prism") or {}
    if "load" in prism:
        rows.append(_load_row("Prism (static)", prism["load"],
                              f"fake is {_prism_ratio(results):.1f}x Prism (same request), "
                              f"{_prism_ratio(results, 'chat_varied'):.1f}x (varied), "
                              "each fake run right after Prism's"))
        for phase, name in (("chat", "same request"), ("chat_varied", "every request differs")):
            if phase in (prism.get("fake") or {}):
                rows.append(_load_row(f"moonshot-mock right after Prism, {name}",
                                      prism["fake"][phase]))
    else:
        rows.append(f"| Prism | - | - | - | - | - | not measured: {prism.get('error', '?')} |")
    return rows


def _cold_cpu_row(cold: dict[str, Any]) -> list[str]:
    if "cpu_ratio" not in cold:
        return []
    return [f"| cold start, server CPU to first 200 (median) | {cold['fake_cpu_s'] * 1000:.0f} ms"
            f" | {cold['bare_cpu_s'] * 1000:.0f} ms (bare uvicorn) | {cold['cpu_ratio']:.2f}x |"]


def other_table(results: dict[str, Any]) -> list[str]:
    cold, single = results["cold_start"], results["single_stream"]
    many, inproc = results["streams"], results["in_process"]
    return [
        "| measurement | moonshot-mock | baseline | ratio / difference |",
        "| --- | ---: | ---: | ---: |",
        f"| cold start, spawn to first 200 (median) | {cold['fake_s'] * 1000:.0f} ms | "
        f"{cold['bare_s'] * 1000:.0f} ms (bare uvicorn) | {cold['ratio']:.2f}x |",
        *_cold_cpu_row(cold),
        f"| one unpaced stream, {single['fake']['events']} events | "
        f"{single['fake']['events_per_s']:,.0f} ev/s | {single['bare']['events_per_s']:,.0f} ev/s"
        f" (pre-encoded) | +{single['added_ms_per_event']:.4f} ms/event |",
        f"| {many['streams']} paced streams open at once ({many['pace_ms']:.0f} ms/event) | "
        f"{many['kib_per_stream']:.1f} KiB/stream, gap p99 {many['gap_p99_ms']:.0f} ms, "
        f"{many['errors']} errors | RSS {many['rss_before_kib'] / 1024:.0f} MiB before | "
        f"{many['rss_open_kib'] / 1024:.0f} MiB open |",
        f"| in-process (httpx ASGITransport) | {inproc['fake_per_s']:,.0f} completions/s "
        f"({inproc['fake_stream_per_s']:,.0f} streamed) | {inproc['bare_per_s']:,.0f}/s | "
        f"{inproc['ratio']:.0%} |",
        *_evicted_rows(results.get("cache_evicted")),
    ]


def _evicted_rows(evicted: dict[str, Any] | None) -> list[str]:
    """CPU per request in-process, warm and with the private caches emptied (bench.cold_cache):
    a steadier view of what a served request costs than the served runs themselves."""
    if not evicted:
        return []
    return [
        f"| in-process CPU/request, every request differs: warm / caches emptied | "
        f"{evicted['fake_warm_us']:.0f} / {evicted['fake_evicted_us']:.0f} us | "
        f"{evicted['bare_warm_us']:.0f} / {evicted['bare_evicted_us']:.0f} us (bare app) | "
        f"{evicted['warm_ratio']:.0%} / {evicted['evicted_ratio']:.0%} |",
        f"| in-process CPU/request, same request: warm / caches emptied | "
        f"{evicted['fake_same_warm_us']:.0f} / {evicted['fake_same_evicted_us']:.0f} us | "
        f"{evicted['bare_warm_us']:.0f} / {evicted['bare_evicted_us']:.0f} us (bare app) | "
        f"{evicted['warm_same_ratio']:.0%} / {evicted['evicted_same_ratio']:.0%} |",
    ]


def markdown(results: dict[str, Any]) -> str:
    lines = [f"# moonshot-mock benchmark — {results['when']}", "",
             _machine_line(results["machine"]), "", *throughput_table(results), "",
             *other_table(results)]
    judged = verdicts(results)
    for scope, heading in (("target", "| target | figure | limit | met |"),
                           ("beyond", "| beyond the targets | figure | bar | met |")):
        lines += ["", heading, "| --- | ---: | ---: | --- |"]
        for name, v in judged.items():
            if v["scope"] == scope:
                figure = "-" if v["figure"] is None else f"{v['figure']:.3g}"
                met = {True: "yes", False: "NO", None: "not measured"}[v["met"]]
                lines.append(f"| {name} | {figure} | {v['bar']:.3g} | {met} |")
    return "\n".join(lines) + "\n"


def _machine_line(machine: dict[str, Any]) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items() if v)
    return (f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB, "
            f"Linux {machine['kernel']}, Python {machine['python']}; {packages}; "
            f"{machine['wrk'] or 'no wrk (Python load client)'}; node {machine['node']}, "
            f"Prism {machine['prism']}.")


def write(results: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    results = {**results, "verdicts": verdicts(results)}
    md, js = directory / "latest.md", directory / "latest.json"
    md.write_text(markdown(results), encoding="utf-8")
    js.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2) + b"\n")
    return md, js
