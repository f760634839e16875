"""The wide token corpus: texts of many kinds, each split into a part the default estimate is
fitted on and a held-out part it is never fitted on.

Sources (named per text in its `source` field):
- `bank:*`: text written for the project (`bench/corpus_banks.py`: news, dialogue, social
  media, Chinese technical writing, European languages, code in a dozen languages;
  public-domain classical Chinese typed in) and the older banks of `bench/corpus_text.py`
  (Chinese, traditional Chinese, English, mixed, code, JSON keys and words, tool names);
- `stdlib:<module>`: Python source of the standard library's modules (code);
- `pydoc_data:<topic>`: the Python documentation topics that ship with the interpreter
  (`pydoc_data.topics`, English technical writing);
- `package:<file>`: JSON files shipped by installed packages (schemathesis' JSON Schemas, the
  CycloneDX SBOMs in `*.dist-info/sboms`).

Nothing is downloaded: every text is made from the banks or read from the interpreter and the
installed packages, seeded, so the same installation gives the same corpus. The split is by
source item (a bank entry, a module, a topic, a file): an item is held out when the CRC-32 of
its text (or name) is a multiple of 3, and a held-out text is made only from held-out items.
"""

from __future__ import annotations

import json
import random
import sysconfig
import zlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from bench import corpus_banks as banks
from bench import corpus_text as old
from bench.token_corpus import _json, tool
from mock_server.chat.tool_render import tools_json, tools_typescript

PARTS = ("fit", "held_out")
PER_PART = {"fit": 48, "held_out": 24}
# the kinds of text the estimate is judged on (as the issue measured them); a prose text's
# category follows its script (`category_of`), whatever its source
CATEGORIES = ("chinese", "traditional", "english", "mixed", "code", "json", "tools")
# reported too, without a target: Latin-script languages with diacritics, which the vocabulary
# splits far more finely than English (in the fit so that their letters get a weight)
EXTRA_CATEGORIES = ("european",)
SOURCES = ("chinese", "traditional", "english", "european", "mixed", "news", "dialogue",
           "classical", "technical", "social", "code", "json", "tools")
STDLIB = ("json.decoder", "json.encoder", "argparse", "textwrap", "string", "shlex", "csv",
          "difflib", "heapq", "bisect", "fractions", "statistics", "glob", "fnmatch",
          "tempfile", "ipaddress", "secrets", "base64", "calendar", "dataclasses", "enum",
          "functools", "contextlib", "copy", "pprint", "reprlib", "queue", "sched", "graphlib",
          "zipapp", "uuid", "colorsys", "getopt", "netrc", "numbers", "operator", "abc", "ast",
          "cmd", "code", "codeop", "configparser", "contextvars", "datetime", "decimal",
          "dis", "filecmp", "fileinput", "ftplib", "gettext", "gzip", "hashlib", "hmac",
          "imaplib", "inspect", "io", "keyword", "linecache", "locale", "logging", "lzma",
          "mailbox", "mimetypes", "opcode", "optparse", "os", "pathlib", "pdb", "pickle",
          "pkgutil", "platform", "plistlib", "poplib", "posixpath", "profile", "pstats",
          "py_compile", "pyclbr", "quopri", "random", "re", "runpy", "selectors", "shelve",
          "shutil", "signal", "site", "smtplib", "socket", "socketserver", "stat",
          "stringprep", "struct", "subprocess", "symtable", "tabnanny", "tarfile", "telnetlib",
          "threading", "timeit", "token", "tokenize", "trace", "traceback", "tracemalloc",
          "types", "typing", "warnings", "wave", "weakref", "webbrowser", "zipfile")
Maker = Callable[[random.Random, str], tuple[str, str]]  # (rng, part) -> (source, text)


def held_out(item: str) -> bool:
    """A third of the items, chosen by a checksum of the item (not by position, which in
    the banks alternates languages)."""
    return zlib.crc32(item.encode()) % 3 == 0


def part_of(items: Sequence[str], part: str) -> list[tuple[int, str]]:
    return [(i, item) for i, item in enumerate(items) if held_out(item) == (part == "held_out")]


def _fill(rng: random.Random, template: str) -> str:
    values = {"city": rng.choice(banks.CITIES) if rng.random() < 0.5 else rng.choice(banks.CITIES_EN),
              "month": rng.randint(1, 12), "day": rng.randint(1, 28), "pct": round(rng.uniform(0.1, 12), 1),
              "small": rng.randint(2, 40), "tiny": rng.randint(0, 9), "num": rng.randint(10, 999),
              "big": rng.randint(1000, 99999), "km": round(rng.uniform(3, 80), 1),
              "sec": round(rng.uniform(46, 52), 2), "hour": rng.randint(6, 11),
              "minute": rng.randint(10, 59), "weekday": rng.choice(["Monday", "Tuesday", "Friday"]),
              "monthname": rng.choice(["March", "July", "October"])}
    return template.format_map(values)


def _prose(items: Sequence[str], joiner: str, tag: str) -> Maker:
    def make(rng: random.Random, part: str) -> tuple[str, str]:
        pool = part_of(items, part)
        chosen = [rng.choice(pool) for _ in range(rng.choice([2, 3, 4, 6, 8, 12, 20]))]
        texts = [_fill(rng, text) for _, text in chosen]
        paragraphs = [joiner.join(texts[i:i + 4]) for i in range(0, len(texts), 4)]
        return f"bank:{tag}", rng.choice(["\n", "\n\n"]).join(paragraphs)
    return make


@cache
def _module_source(name: str) -> str:
    """The module's file in the interpreter's standard library (frozen modules too)."""
    base = Path(sysconfig.get_paths()["stdlib"]) / name.replace(".", "/")
    path = base.with_suffix(".py") if base.with_suffix(".py").is_file() else base / "__init__.py"
    return path.read_text("utf-8")


def _window(rng: random.Random, text: str, low: int, high: int) -> str:
    lines = text.splitlines(keepends=True)
    size = min(len(lines), rng.randint(low, high))
    start = rng.randrange(max(1, len(lines) - size))
    return "".join(lines[start:start + size])


def _code(rng: random.Random, part: str) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.5:
        _, module = rng.choice(part_of(STDLIB, part))
        return f"stdlib:{module}", _window(rng, _module_source(module), 3, 80)
    if roll < 0.8:
        _, snippet = rng.choice(part_of(banks.CODE_OTHER, part))
        return "bank:code_other", snippet
    _, snippet = rng.choice(part_of(old.CODE, part))
    return "bank:code", snippet


@cache
def _topics() -> list[tuple[str, str]]:
    from pydoc_data.topics import topics
    return sorted(topics.items())


def _technical(rng: random.Random, part: str) -> tuple[str, str]:
    if rng.random() < 0.3:
        return _prose(banks.TECH_ZH, "", "technical_zh")(rng, part)
    keys = [key for key, _ in _topics()]
    index, key = rng.choice(part_of(keys, part))
    return f"pydoc_data:{key}", _window(rng, _topics()[index][1], 2, 40)


@cache
def _package_json() -> list[str]:
    import site
    root = Path(site.getsitepackages()[0])
    found = sorted(root.glob("schemathesis/**/*.json")) + sorted(root.glob("*.dist-info/sboms/*.json"))
    return [str(p.relative_to(root)) for p in found]


def _json_text(rng: random.Random, part: str) -> tuple[str, str]:
    files = part_of(_package_json(), part)
    if files and rng.random() < 0.4:
        import site
        _, name = rng.choice(files)
        text = (Path(site.getsitepackages()[0]) / name).read_text("utf-8")
        value = json.loads(text)
        style = rng.choice([None, 2])
        return f"package:{name}", _window(rng, json.dumps(value, indent=style or 2) if style else text, 3, 60)
    return "bank:json", _json(random.Random(rng.random() + (7 if part == "held_out" else 0)))


def _tools(rng: random.Random, part: str) -> tuple[str, str]:
    names = [name for _, name in part_of(old.TOOL_NAMES, part)]
    tools = [tool(rng, name) for name in rng.sample(names, min(len(names), rng.choice([1, 2, 3, 5, 8])))]
    return "bank:tools", tools_json(tools) if rng.random() < 0.5 else tools_typescript(tools)


MAKERS: dict[str, Maker] = {
    "chinese": _prose(old.CHINESE, "", "chinese"),
    "traditional": _prose(old.TRADITIONAL, "", "traditional"),
    "english": _prose(old.ENGLISH, " ", "english"),
    "european": _prose(banks.EUROPEAN, " ", "european"),
    "mixed": _prose(old.MIXED + banks.DIALOGUE[:4] + old.CHINESE[:8] + old.ENGLISH[:8], " ", "mixed"),
    "news": _prose(banks.NEWS_ZH + banks.NEWS_EN, "", "news"),
    "dialogue": _prose(banks.DIALOGUE, "\n", "dialogue"),
    "classical": _prose(banks.CLASSICAL, "", "classical"),
    "technical": _technical, "social": _prose(banks.SOCIAL, "\n", "social"),
    "code": _code, "json": _json_text, "tools": _tools,
}


def category_of(kind: str, text: str) -> str:
    """Code, JSON and tools by their source; prose by its script: Chinese (traditional when it
    comes from the traditional bank) when Han characters are at least 85% of its letters,
    English (any alphabetic script) when they are at most 15%, else mixed."""
    if kind in ("code", "json", "tools", "european"):
        return kind
    han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    letters = sum(1 for char in text if char.isalpha() and not "\u4e00" <= char <= "\u9fff")
    share = han / max(1, han + letters)
    if share >= 0.85:
        return "traditional" if kind == "traditional" else "chinese"
    return "english" if share <= 0.15 else "mixed"


def build(seed: int = 29) -> list[dict[str, str]]:
    """Every text: category, part (fit / held_out), source, text."""
    corpus = []
    for part in PARTS:
        rng = random.Random(f"{seed}:{part}")
        for kind in SOURCES:
            for _ in range(PER_PART[part]):
                source, text = MAKERS[kind](rng, part)
                corpus.append({"category": category_of(kind, text), "kind": kind, "part": part,
                               "source": source, "text": text})
    return corpus
