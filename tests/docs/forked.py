"""A documentation block run in a process of its own, forked from one that has already imported
the client libraries the blocks use.

`python -c BLOCK` (or `python -m pytest` for a block of tests) in a new interpreter spends most
of its CPU importing `openai`, `anthropic`, LangChain or Pydantic AI, the same libraries for
every block. Here one process (multiprocessing's fork server, started on first use, ended by
`stop`) imports them once, and each block runs in a fresh fork of it: its own process, its own
module state and working directory, its own exit status and output, as a reader's `python` run
has them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import sys
from pathlib import Path

# what the blocks import; one missing from the environment is skipped here (and the block that
# imports it fails as it would in a new interpreter)
PRELOAD = ("openai", "anthropic", "langchain_openai", "pydantic_ai", "pytest")
TIMEOUT = 120.0


def run(code: str, cwd: Path, *, pytest_args: list[str] | None = None) -> tuple[int, str]:
    """Run `code` as `python -c code`, or, with `pytest_args`, `python -m pytest *pytest_args`,
    in `cwd`: (exit status, stdout and stderr)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, *PRELOAD])
    output = cwd / ".block-output"
    process = context.Process(target=_child, args=(code, str(cwd), str(output), pytest_args))
    process.start()
    process.join(TIMEOUT)
    if process.exitcode is None:
        process.kill()
        process.join()
        return -9, f"killed after {TIMEOUT:.0f} s"
    if not output.exists():  # the fork failed before the block began: the server said why
        return process.exitcode, "the block did not start (see the fork server's stderr)"
    text = output.read_text(encoding="utf-8", errors="replace")
    output.unlink()
    return process.exitcode, text


def stop() -> None:
    """End the fork server (and wait for it), if one was started."""
    multiprocessing.forkserver._forkserver._stop()  # the only way the module offers


def _child(code: str, cwd: str, output: str, pytest_args: list[str] | None) -> None:
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    os.chdir(cwd)
    if pytest_args is not None:
        import pytest

        sys.argv = ["pytest", *pytest_args]
        sys.exit(pytest.main(pytest_args))
    sys.argv = ["-c"]
    sys.path.insert(0, "")
    exec(compile(code, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
