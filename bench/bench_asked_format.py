"""What reading the format a prompt asks for costs a default-model reply.

`python -m bench.bench_asked_format [--rounds N] [--out DIR]` times `asked_shape` (every
default reply without `response_format` pays it) and the whole planned reply for prompts of
each kind: plain prose questions (short, and a 4,000-character document to summarise), a
template of field markers, the ReAct format, JSON after a schema in a code block, a list of N
items. Each round changes the prompt's last word, so nothing is served from a memo. Writes the
medians in microseconds to `bench/results/asked_format.md`. Target: reading a plain prompt
under 50 µs (median), a reply in a format under 1 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mock_server.chat.asked_format import asked_shape
from mock_server.chat.plan import Replies, plan_chat
from mock_server.data.catalogue import load_catalogue

RESULTS = Path(__file__).parent / "results"
PROMPTS = Path(__file__).parents[1] / "tests" / "data" / "prompts"
READ_TARGET_US = 50.0
REPLY_TARGET_US = 1000.0
Messages = list[dict[str, Any]]


def cases() -> dict[str, Callable[[int], Messages]]:
    markers = (PROMPTS / "field_markers_system.txt").read_text(encoding="utf-8")
    react = (PROMPTS / "react_system.txt").read_text(encoding="utf-8")
    schema = json.dumps({"type": "object", "properties": {"name": {"type": "string"},
                                                          "age": {"type": "integer"}}})
    document = " ".join(["The fake answers offline with realistic usage and errors."] * 70)

    def pair(system: str, user: str) -> Callable[[int], Messages]:
        return lambda n: [{"role": "system", "content": system},
                          {"role": "user", "content": f"{user} {n}"}]

    return {
        "prose, short question": pair("You are Kimi.", "What is the capital of France? Try"),
        "prose, 4,000-char document": pair("You are Kimi.", f"Summarise:\n{document}\nPart"),
        "field markers": pair(markers, "[[ ## question ## ]]\nWho is Ada?\n\nRespond with the "
                              "output fields, then `[[ ## completed ## ]]`. Case"),
        "ReAct": pair(react, "What is 3 multiplied by 4? Case"),
        "JSON in a code block": pair(f"Answer in JSON matching {schema}",
                                     "Return it within a ```json codeblock. Case"),
        "list of N items": pair("You are Kimi.", "List 5 cities in Europe. Case"),
    }


def median_us(run: Callable[[int], object], rounds: int) -> float:
    run(-1)  # tables, regexes and caches made once
    times = []
    for n in range(rounds):
        start = time.perf_counter()
        run(n)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times)


def measure(rounds: int) -> list[tuple[str, float, float]]:
    model = load_catalogue().models["moonshot-v1-8k"]
    rows = []
    for name, make in cases().items():
        read = median_us(lambda n, make=make: asked_shape(make(n)), rounds)
        reply = median_us(lambda n, make=make: plan_chat(
            {"model": model.id, "messages": make(n)}, model, 10,
            Replies(n, (16, 64), "chatcmpl-x", 0, "fp")), rounds)
        rows.append((name, read, reply))
    return rows


def report(rows: list[tuple[str, float, float]], rounds: int) -> str:
    plain = max(read for name, read, _ in rows if name.startswith("prose"))
    slowest = max(reply for _, _, reply in rows)
    verdict = "meets" if plain < READ_TARGET_US and slowest < REPLY_TARGET_US else "MISSES"
    load = os.getloadavg()[0]
    lines = [f"# Formats asked for in the prompt\n\n{rounds} rounds per prompt, a new prompt each "
             f"(`python -m bench.bench_asked_format`); medians. "
             f"{os.cpu_count()} cores, load average {load:.1f} during the run; Python "
             f"{platform.python_version()}.\n",
             "| prompt | reading the format | whole reply planned |", "| --- | --- | --- |"]
    lines += [f"| {name} | {read:.0f} µs | {reply:.0f} µs |" for name, read, reply in rows]
    lines.append(f"\nTarget: reading a plain prompt < {READ_TARGET_US:.0f} µs, a reply in a format "
                 f"< {REPLY_TARGET_US:.0f} µs: {verdict}.\n")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    text = report(measure(args.rounds), args.rounds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "asked_format.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
