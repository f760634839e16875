"""The token-count corpus: texts by category, and how the default estimate compares on them.

`python -m bench.token_corpus write` rebuilds `tests/data/token_corpus.jsonl` from the banks in
`bench/corpus_text.py` (seeded: the same file every time). `python -m bench.token_corpus table
--tokenizer-file PATH` prints, per category, the estimate divided by the real count (median,
p10, p90 and the 90th percentile of |ratio - 1|) — the table `bench/README.md` shows.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from bench import corpus_text as bank
from mock_server.chat.tool_render import tools_json, tools_typescript

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "token_corpus.jsonl"
PER_CATEGORY = 50
# the documented request's messages (the standard Kimi system prompt, the documentation's user
# message): the real API's own data points, weighed more than a corpus text in the fit
ANCHORS = (
    "你是 Kimi，由 Moonshot AI 提供的人工智能助手，你更擅长中文和英文的对话。你会为用户提供安全，有帮助，"
    "准确的回答。同时，你会拒绝一切涉及恐怖主义，种族歧视，黄色暴力等问题的回答。Moonshot AI 为专有名词，"
    "不可翻译成其他语言。",
    "你好，我叫李雷，1+1等于多少？",
)
ANCHOR_WEIGHT = 10.0
CATEGORIES = ("chinese", "traditional", "english", "mixed", "code", "json", "tools")


def _prose(rng: random.Random, sentences: list[str], joiner: str) -> str:
    count = rng.choice([1, 1, 2, 3, 5, 8, 12, 20, 30])
    chosen = [rng.choice(sentences) for _ in range(count)]
    paragraphs = [joiner.join(chosen[i:i + 4]) for i in range(0, len(chosen), 4)]
    return rng.choice(["\n", "\n\n"]).join(paragraphs)


def _mixed(rng: random.Random) -> str:
    pool = bank.MIXED * 3 + bank.CHINESE + bank.ENGLISH[:10]
    return _prose(rng, pool, rng.choice(["", " "]))


def _code(rng: random.Random) -> str:
    return "\n".join(rng.sample(bank.CODE, rng.choice([1, 1, 2, 3, 4])))


def _json_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth < 3 and roll < 0.2:
        return {k: _json_value(rng, depth + 1) for k in rng.sample(bank.JSON_KEYS, rng.randint(1, 6))}
    if depth < 3 and roll < 0.3:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    if roll < 0.5:
        return rng.choice(bank.JSON_WORDS)
    if roll < 0.7:
        return rng.randint(0, 10 ** rng.randint(1, 9))
    if roll < 0.8:
        return round(rng.uniform(-180, 180), rng.randint(1, 6))
    return rng.choice([True, False, None])


def _json(rng: random.Random) -> str:
    document = [{k: _json_value(rng, 1) for k in rng.sample(bank.JSON_KEYS, rng.randint(3, 12))}
                for _ in range(rng.choice([1, 1, 2, 4, 8]))]
    value: Any = document[0] if len(document) == 1 else document
    style = rng.randrange(3)
    if style == 0:
        return orjson.dumps(value).decode()
    return json.dumps(value, indent=2 if style == 1 else 4, ensure_ascii=rng.random() < 0.3)


def tool(rng: random.Random, name: str) -> dict[str, Any]:
    names = rng.sample(bank.PARAM_NAMES, rng.randint(1, 6))
    properties: dict[str, Any] = {}
    for param in names:
        kind = rng.choice(["string", "string", "integer", "number", "boolean", "array", "enum"])
        schema: dict[str, Any] = {"type": kind}
        if kind == "enum":
            schema = {"type": "string", "enum": rng.sample(["celsius", "fahrenheit", "json", "text",
                                                             "asc", "desc", "low", "high"], 3)}
        elif kind == "array":
            schema["items"] = {"type": "string"}
        if rng.random() < 0.7:
            schema["description"] = rng.choice(bank.PARAM_DESCRIPTIONS)
        properties[param] = schema
    parameters = {"type": "object", "properties": properties,
                  "required": rng.sample(names, rng.randint(0, len(names)))}
    return {"type": "function", "function": {
        "name": name, "description": rng.choice(bank.TOOL_DESCRIPTIONS), "parameters": parameters}}


def _tools(rng: random.Random) -> str:
    count = rng.choice([1, 1, 2, 3, 5, 8, 13, 20])
    tools = [tool(rng, name) for name in rng.sample(bank.TOOL_NAMES, count)]
    return tools_json(tools) if rng.random() < 0.5 else tools_typescript(tools)


MAKERS: dict[str, Callable[[random.Random], str]] = {
    "chinese": lambda rng: _prose(rng, bank.CHINESE, ""),
    "traditional": lambda rng: _prose(rng, bank.TRADITIONAL, ""),
    "english": lambda rng: _prose(rng, bank.ENGLISH, " "),
    "mixed": _mixed, "code": _code, "json": _json, "tools": _tools,
}


def build(seed: int = 17) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{"category": category, "text": MAKERS[category](rng)}
            for category in CATEGORIES for _ in range(PER_CATEGORY)]


def read(path: Path = CORPUS) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def ratios(corpus: list[dict[str, str]], estimate: Callable[[str], int],
           real: Callable[[str], int]) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {}
    for entry in corpus:
        truth = real(entry["text"])
        if truth:
            found.setdefault(entry["category"], []).append(estimate(entry["text"]) / truth)
    return found


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    deciles = statistics.quantiles(ordered, n=10)
    errors = statistics.quantiles([abs(v - 1) for v in ordered], n=10)
    return {"texts": len(ordered), "median": statistics.median(ordered), "p10": deciles[0],
            "p90": deciles[-1], "p90_error": errors[-1], "worst": max(ordered, key=lambda v: abs(v - 1))}


def table(found: dict[str, list[float]]) -> Iterator[str]:
    yield "| category | texts | median | p10 | p90 | p90 of abs(ratio - 1) | worst |"
    yield "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for category in CATEGORIES:
        s = summary(found[category])
        yield (f"| {category} | {s['texts']:.0f} | {s['median']:.3f} | {s['p10']:.3f} | "
               f"{s['p90']:.3f} | {s['p90_error']:.3f} | {s['worst']:.3f} |")


def fit(corpus: list[dict[str, str]], real: Callable[[str], int]) -> list[float]:
    """Weights minimising the squared relative error of the estimate over the corpus (each
    category weighing the same), by least squares on the normal equations."""
    from mock_server.chat.estimate import FEATURES, features, sample_of

    texts = [(entry["text"], 1.0) for entry in corpus] + [(t, ANCHOR_WEIGHT) for t in ANCHORS]
    rows = []
    for text, weight in texts:
        sample, scale = sample_of(text)
        truth = real(text)
        rows.append((weight, [f * scale / truth for f in features(sample)]))
    return least_squares(rows, len(FEATURES))


def least_squares(rows: list[tuple[float, list[float]]], size: int) -> list[float]:
    """The weights minimising the weighted squared error of `rows` (weight, features relative
    to the real count) against 1, by the normal equations."""
    normal = [[0.0] * (size + 1) for _ in range(size)]
    for weight, row in rows:
        for i in range(size):
            for j in range(size):
                normal[i][j] += weight * row[i] * row[j]
            normal[i][size] += weight * row[i]
    for i in range(size):
        normal[i][i] += 1e-6  # a feature absent from the corpus keeps weight 0
    return _solve(normal)


def _solve(matrix: list[list[float]]) -> list[float]:
    size = len(matrix)
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(matrix[r][col]))
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        for row in range(size):
            if row != col:
                factor = matrix[row][col] / matrix[col][col]
                matrix[row] = [a - factor * b for a, b in zip(matrix[row], matrix[col], strict=True)]
    return [matrix[i][size] / matrix[i][i] for i in range(size)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.token_corpus")
    parser.add_argument("command", choices=("write", "table", "fit"))
    parser.add_argument("--tokenizer-file", type=Path)
    args = parser.parse_args(argv)
    if args.command == "write":
        CORPUS.parent.mkdir(parents=True, exist_ok=True)
        CORPUS.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in build()), "utf-8")
        return 0
    from mock_server.chat.estimate import count_text
    from mock_server.chat.vocab import load_vocabulary

    real = load_vocabulary(args.tokenizer_file)
    if args.command == "fit":
        weights = ", ".join(f"{w:.4f}" for w in fit(read(), real))
        print("\n           ".join(textwrap.wrap(f"WEIGHTS = ({weights})", 96)))
        return 0
    for line in table(ratios(read(), count_text, real)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
