"""Stoplight Prism, the anchor most users would pick instead: installed into bench/node_modules.

`ensure_prism` installs a pinned `@stoplight/prism-cli` with npm when it is missing (the
directory is ignored by git); it returns a reason instead when that cannot be done.
"""

from __future__ import annotations

import shutil
import subprocess

from bench.servers import PRISM, ROOT

PRISM_PACKAGE = "@stoplight/prism-cli@5.14.2"


def ensure_prism() -> str | None:
    """None when Prism is ready, else why it is not."""
    if PRISM.exists():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "npm is not installed"
    try:
        done = subprocess.run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
             str(ROOT / "bench"), PRISM_PACKAGE],
            capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return "npm install timed out"
    if done.returncode != 0 or not PRISM.exists():
        return "npm install failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    return None
