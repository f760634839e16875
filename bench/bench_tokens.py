"""What counting tokens costs, default estimate and exact vocabulary, and how close the estimate
comes to the vocabulary on the corpus.

    python -m bench.bench_tokens [--tokenizer-file PATH] [--rounds 2000] [--out bench/results]

Times one 2,000-token message of each kind (English, Chinese, code, JSON), every call a new
text (nothing remembered) and the same text again (remembered), and a whole chat request (the
documented messages and 20 tools). The vocabulary defaults to the one the exact-token tests
use (`make tokenizer` gets it: see tests/kimi_vocabulary.py); without one only the default
mode is measured. Writes `tokens.json` and `tokens.md` under the output directory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import corpus_text as bank
from bench.machine import _cpu_model
from bench.token_corpus import ANCHORS, ratios, read, table, tool
from mock_server.chat import estimate
from mock_server.chat.tokens import DEFAULT_COUNTER, TokenCounter, counter_for
from mock_server.chat.vocab import load_vocabulary
from mock_server.data.catalogue import load_catalogue
from tests import kimi_vocabulary

ROOT = Path(__file__).resolve().parents[1]
TARGET_TOKENS = 2000
LIMITS_US = {"default": 50.0, "exact": 300.0}


def machine() -> str:
    return (f"{_cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"tiktoken {metadata.version('tiktoken')}")


def message(kind: str, size: Callable[[str], int]) -> str:
    """About 2,000 tokens (by `size`) of one kind of text."""
    rng = random.Random(kind)
    pieces = {"english": bank.ENGLISH, "chinese": bank.CHINESE, "code": bank.CODE,
              "json": [json.dumps({k: rng.choice(bank.JSON_WORDS) for k in rng.sample(bank.JSON_KEYS, 6)},
                                  ensure_ascii=False) for _ in range(50)]}[kind]
    joiner = {"english": " ", "chinese": "", "code": "\n", "json": ",\n"}[kind]
    text = ""
    while size(text) < TARGET_TOKENS:
        text += rng.choice(pieces) + joiner
    return text


def median_us(call: Callable[[int], object], rounds: int) -> float:
    samples = []
    for i in range(rounds):
        start = time.perf_counter_ns()
        call(i)
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def modes(vocabulary: Path | None) -> dict[str, tuple[Callable[[str], int], TokenCounter]]:
    found: dict[str, tuple[Callable[[str], int], TokenCounter]] = {
        "default": (estimate._count, DEFAULT_COUNTER)}
    if vocabulary is not None:
        exact = counter_for(vocabulary)
        found["exact"] = (exact.text, exact)
    return found


def measure(vocabulary: Path | None, rounds: int) -> dict[str, Any]:
    size = load_vocabulary(vocabulary) if vocabulary else estimate.count_text
    texts = {kind: message(kind, size) for kind in ("english", "chinese", "code", "json")}
    v1 = load_catalogue().get("kimi-k2-0905-preview")
    assert v1 is not None
    rng = random.Random(20)
    request = {"messages": [{"role": "system", "content": ANCHORS[0]},
                            {"role": "user", "content": ANCHORS[1]}],
               "tools": [tool(rng, f"tool_{i:02d}") for i in range(20)]}
    rows: dict[str, Any] = {}
    for mode, (count, counter) in modes(vocabulary).items():
        for kind, text in texts.items():
            # a new text every call: a counter in front defeats any memo
            fresh = median_us(lambda i, t=text, c=count: c(f"{i} {t}"), rounds)
            again = median_us(lambda i, t=text, c=counter: c.text(t), rounds)
            rows[f"{mode}, {kind}"] = {"mode": mode, "kind": kind, "chars": len(text),
                                       "tokens": size(text), "new_us": round(fresh, 1),
                                       "again_us": round(again, 2), "limit_us": LIMITS_US[mode]}
        whole = median_us(lambda i, c=counter: c.prompt(request, v1), rounds)
        rows[f"{mode}, chat request"] = {"mode": mode, "kind": "chat: documented messages + 20 tools",
                                         "tokens": counter.prompt(request, v1), "again_us": round(whole, 1)}
    corpus = list(table(ratios(read(), estimate.count_text, size))) if vocabulary else []
    return {"machine": machine(), "rounds": rounds, "rows": rows, "corpus": corpus}


def markdown(result: dict[str, Any]) -> str:
    lines = ["# Token counting benchmark", "",
             f"Median of {result['rounds']} calls; `new`: a different text every call (nothing "
             "remembered), `again`: the same text (remembered). Machine: " + result["machine"] + ".", "",
             "| mode | message | chars | tokens | new (us) | again (us) | limit for new (us) | met |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in result["rows"].values():
        if "new_us" in row:
            met = "yes" if row["new_us"] < row["limit_us"] else "NO"
            lines.append(f"| {row['mode']} | {row['kind']} | {row['chars']:,} | {row['tokens']:,} | "
                         f"{row['new_us']} | {row['again_us']} | {row['limit_us']:.0f} | {met} |")
        else:
            lines.append(f"| {row['mode']} | {row['kind']} | | {row['tokens']:,} | | "
                         f"{row['again_us']} | | |")
    if result["corpus"]:
        lines += ["", "Default estimate ÷ the vocabulary's count, per text of the corpus "
                  "(`tests/data/token_corpus.jsonl`):", "", *result["corpus"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_tokens")
    parser.add_argument("--tokenizer-file", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    result = measure(args.tokenizer_file or kimi_vocabulary.find(), args.rounds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tokens.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    text = markdown(result)
    (args.out / "tokens.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
