"""The Kimi K2 vocabulary for the exact-token tests: where it comes from, and one command to get it.

`tiktoken.model` is the byte-level BPE vocabulary Moonshot AI publishes with its open Kimi K2
models: the file of that name in the public `moonshotai/Kimi-K2-Instruct` model repository on
Hugging Face (MIT licence, copyright Moonshot AI; about 2.8 MB). The project does not ship it.

    make tokenizer                                        # download it and check its sha256
    make tokenizer TOKENIZER_FROM=path/to/tiktoken.model  # or copy a file you already have

puts the checked file at `tests/data/kimi-k2/tiktoken.model` (git-ignored). Tests and
`bench.bench_tokens` find it there, or in a `shared/data/kimi-k2-tokenizer/` folder beside the
clone (where CI keeps its test data); without it the exact-token tests skip and say how to get
it. `python -m tests.kimi_vocabulary --help` is the same command.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "data" / "kimi-k2" / "tiktoken.model"
BESIDE = Path("shared/data/kimi-k2-tokenizer/tiktoken.model")  # under a folder above the clone
URL = "https://huggingface.co/moonshotai/Kimi-K2-Instruct/resolve/main/tiktoken.model"
SHA256 = "b6c497a7469b33ced9c38afb1ad6e47f03f5e5dc05f15930799210ec050c5103"
HOW = "`make tokenizer` downloads it (see tests/kimi_vocabulary.py)"


def find() -> Path | None:
    """The vocabulary `make tokenizer` put in the clone, else one in shared/ beside it."""
    if HERE.is_file():
        return HERE
    return next((folder / BESIDE for folder in ROOT.parents if (folder / BESIDE).is_file()), None)


def fetch(source: str, target: Path = HERE) -> str:
    """Copy or download `source` (a path or a URL) to `target` if its sha256 is the known one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as out:
        partial = Path(out.name)
        try:
            if "://" in source:
                with urllib.request.urlopen(source, timeout=60) as answer:
                    shutil.copyfileobj(answer, out)
            else:
                with Path(source).open("rb") as given:
                    shutil.copyfileobj(given, out)
        except BaseException:
            partial.unlink()
            raise
    digest = hashlib.sha256(partial.read_bytes()).hexdigest()
    if digest != SHA256:
        partial.unlink()
        raise ValueError(f"{source} has sha256 {digest}, not the vocabulary the tests were "
                         f"written against ({SHA256})")
    partial.chmod(0o644)
    partial.replace(target)
    return digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.kimi_vocabulary",
                                     description=f"Put the Kimi K2 vocabulary at {HERE.relative_to(ROOT)}.")
    parser.add_argument("--from", dest="source", default=URL,
                        help="a local tiktoken.model (or a folder holding one) instead of the download")
    source = parser.parse_args(argv).source
    if "://" not in source and Path(source).is_dir():
        source = str(Path(source) / "tiktoken.model")
    try:
        fetch(source)
    except (OSError, ValueError) as exc:
        print(f"could not get the Kimi K2 vocabulary from {source}: {exc}", file=sys.stderr)
        return 1
    print(f"{HERE.relative_to(ROOT)}: sha256 {SHA256}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
