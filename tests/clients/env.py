"""The test side of the client-library environment: scripts in this folder run in
`.venv-clients` (made by `make install` from requirements.txt), drive a fake over a real socket
and, for each line they read on stdin, print one JSON line with what the library gave them.

A script's environment has no proxy settings of the caller's and points every proxy at a
closed port (loopback excepted), so a library that reached for the network would fail the test
instead of quietly downloading something; litellm is told to use its bundled model table.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CLIENTS_PYTHON = HERE.parents[1] / ".venv-clients" / "bin" / "python"
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
              "ALL_PROXY": "http://127.0.0.1:9", "NO_PROXY": "127.0.0.1,localhost",
              "LITELLM_LOCAL_MODEL_COST_MAP": "True", "DSP_CACHEBOOL": "false"}


def offline_env() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items()
            if not k.upper().startswith(("OPENAI_", "PYTHON", "HTTP_", "HTTPS_", "ALL_", "NO_"))}
    return {**kept, **NO_NETWORK}


def clients_python() -> Path:
    """The environment's interpreter (the test skips when `make install` has not made it)."""
    if not CLIENTS_PYTHON.exists():
        pytest.skip(f"{CLIENTS_PYTHON.parent.parent.name} is missing: `make install` makes it "
                    "(or `make clients-env`; it needs the package index once)")
    return CLIENTS_PYTHON


def run_script(name: str, *args: str, timeout: float = 180) -> Any:
    """Run `tests/clients/<name>` once in the clients' environment: its JSON line, parsed."""
    with Script(name, *args, timeout=timeout) as script:
        return script.run()


class Script:
    """`tests/clients/<name>` kept running in the clients' environment between its runs: each
    line it reads on stdin runs it once more and it prints one JSON line. A test that changes
    the fake's replies between two runs pays the library's import (seconds of CPU) once."""

    def __init__(self, name: str, *args: str, timeout: float = 180) -> None:
        python = clients_python()
        self._scratch = tempfile.TemporaryDirectory()  # the script's working and cache folder
        self._errors = open(Path(self._scratch.name) / ".stderr", "w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [str(python), str(HERE / name), *args], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._errors, text=True, cwd=self._scratch.name,
            env={**offline_env(), "DSPY_CACHEDIR": self._scratch.name})
        self._stop = threading.Timer(timeout, self._process.kill)  # a run that hangs ends
        self._stop.start()

    def run(self) -> Any:
        """One more run of the script: the JSON line it printed, parsed."""
        assert self._process.stdin and self._process.stdout
        self._process.stdin.write("\n")
        self._process.stdin.flush()
        for line in iter(self._process.stdout.readline, ""):
            if line.startswith("{"):
                return json.loads(line)
        self._fail("stopped")

    def _fail(self, what: str) -> None:
        self._process.wait()
        self._errors.seek(0)
        pytest.fail(f"the script {what} (exit status {self._process.returncode}):\n"
                    f"{self._errors.read()[-5000:]}")

    def __enter__(self) -> Script:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        assert self._process.stdin
        self._process.stdin.close()
        try:
            if self._process.wait() != 0 and kind is None:
                self._fail("failed at its end")
        finally:
            self._stop.cancel()
            self._errors.close()
            self._scratch.cleanup()
