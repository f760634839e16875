"""The test side of the client-library environment: scripts in this folder run in
`.venv-clients` (made by `make install` from requirements.txt), drive a fake over a real socket
and print one JSON line with what the library gave them.

A script's environment has no proxy settings of the caller's and points every proxy at a
closed port (loopback excepted), so a library that reached for the network would fail the test
instead of quietly downloading something; litellm is told to use its bundled model table.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
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
    """Run `tests/clients/<name>` in the clients' environment; its last stdout line, parsed."""
    python = clients_python()
    with tempfile.TemporaryDirectory() as scratch:  # the scripts' working and cache folder
        done = subprocess.run([str(python), str(HERE / name), *args], capture_output=True,
                              text=True, timeout=timeout, cwd=scratch,
                              env={**offline_env(), "DSPY_CACHEDIR": scratch})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
