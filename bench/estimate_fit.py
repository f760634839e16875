"""Fit the default token estimate and judge it on text it never saw.

`python -m bench.estimate_fit fit --tokenizer-file PATH` prints the `WEIGHTS` of
`mock_server/chat/estimate.py`, fitted on the fit part of the wide corpus (`bench/corpus_wide.py`)
and on the older corpus (`tests/data/token_corpus.jsonl`, with the documented request's
messages weighed more); `table` prints the estimate divided by the real count on the held-out
part, per category (median, p10, p90, 90th percentile of |ratio - 1|) and per source kind.

The fit minimises the relative error of the estimate by least squares, each source kind
weighing the same, then reweighs each text by its error a few times (iteratively reweighted
least squares): an approximation of the least absolute relative error, so that the medians,
not the means, come out right.
"""

from __future__ import annotations

import argparse
import statistics
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import corpus_wide
from bench.token_corpus import ANCHOR_WEIGHT, ANCHORS, least_squares, read

ROUNDS = 5  # reweighing rounds after the least-squares fit
FLOOR = 0.02  # a text's relative error counts as at least this when it is reweighed
Real = Callable[[str], int]


def _rows(real: Real) -> list[tuple[float, list[float]]]:
    from mock_server.chat.estimate import features, sample_of

    entries = [e for e in corpus_wide.build() if e["part"] == "fit"]
    entries += [{**e, "kind": "old:" + e["category"]} for e in read()]
    per_kind: dict[str, int] = {}
    for entry in entries:
        per_kind[entry["kind"]] = per_kind.get(entry["kind"], 0) + 1
    weighed = [(e["text"], 50.0 / per_kind[e["kind"]]) for e in entries]
    weighed += [(text, ANCHOR_WEIGHT) for text in ANCHORS]
    rows = []
    for text, weight in weighed:
        truth = real(text)
        if truth:
            sample, scale = sample_of(text)
            rows.append((weight, [f * scale / truth for f in features(sample)]))
    return rows


def _least_squares(rows: list[tuple[float, list[float]]], robust: list[float]) -> list[float]:
    weighted = [(weight * factor, row) for (weight, row), factor in zip(rows, robust, strict=True)]
    return least_squares(weighted, len(rows[0][1]))


def fit(real: Real, rounds: int = ROUNDS) -> list[float]:
    rows = _rows(real)
    robust = [1.0] * len(rows)
    weights = _least_squares(rows, robust)
    for _ in range(rounds):
        robust = [1.0 / max(abs(sum(w * f for w, f in zip(weights, row, strict=True)) - 1), FLOOR)
                  for _, row in rows]
        weights = _least_squares(rows, robust)
    return weights


def summary(values: list[float]) -> dict[str, float]:
    deciles = statistics.quantiles(values, n=10)
    errors = statistics.quantiles([abs(v - 1) for v in values], n=10)
    return {"texts": len(values), "median": statistics.median(values), "p10": deciles[0],
            "p90": deciles[-1], "p90_error": errors[-1]}


def held_out(real: Real, estimate: Callable[[str], int], key: str = "category") -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for entry in corpus_wide.build():
        truth = real(entry["text"])
        if entry["part"] == "held_out" and truth:
            found.setdefault(entry[key], []).append(estimate(entry["text"]) / truth)
    return found


def table(found: dict[str, list[float]], names: tuple[str, ...]) -> Iterator[str]:
    yield "| | texts | median | p10 | p90 | p90 of abs(ratio - 1) |"
    yield "| --- | ---: | ---: | ---: | ---: | ---: |"
    for name in names:
        s = summary(found[name])
        yield (f"| {name} | {s['texts']:.0f} | {s['median']:.3f} | {s['p10']:.3f} | "
               f"{s['p90']:.3f} | {s['p90_error']:.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.estimate_fit")
    parser.add_argument("command", choices=("fit", "table"))
    parser.add_argument("--tokenizer-file", type=Path, required=True)
    args = parser.parse_args(argv)
    from mock_server.chat.estimate import _count
    from mock_server.chat.vocab import load_vocabulary

    real = load_vocabulary(args.tokenizer_file)
    if args.command == "fit":
        weights = ", ".join(f"{w:.4f}" for w in fit(real))
        print("\n           ".join(textwrap.wrap(f"WEIGHTS = ({weights})", 96)))
        return 0
    names = corpus_wide.CATEGORIES + corpus_wide.EXTRA_CATEGORIES
    print("\n".join(table(held_out(real, _count), names)))
    print()
    print("\n".join(table(held_out(real, _count, "kind"), corpus_wide.SOURCES)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
