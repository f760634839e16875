"""Plain-request load: `wrk` when present (Debian's package, which `make install` and `make bench`
install when missing), else bench.pyload.

Both run as their own process on 127.0.0.1, bounded by a duration; both return
`{requests, rps, p50_ms, p99_ms, errors, non2xx, tool}`.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from bench.servers import cpu_seconds
from bench.workload import CHAT_PATH, VARY_MARK, chat_bytes, wrk_script

HOST = "127.0.0.1"


def find_wrk() -> str | None:
    """The wrk binary, if installed (`make install` installs Debian's package as root)."""
    return shutil.which("wrk")


def run_wrk(wrk: str, port: int, connections: int, duration: float,
            vary: bool = False) -> dict[str, Any]:
    """wrk for `duration` seconds, rounded up to whole ones: wrk takes no fractions."""
    seconds = max(1, math.ceil(duration))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "chat.lua"
        start = time.time_ns() // 1000 % 10**12  # distinct per run; < 14 digits for Lua
        script.write_text(wrk_script(chat_bytes(tag=VARY_MARK if vary else ""), start))
        out = subprocess.run(
            [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script),
             f"http://{HOST}:{port}{CHAT_PATH}"],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        ).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    raw = orjson.loads(line.removeprefix("WRKJSON "))
    return {"requests": raw["requests"], "rps": raw["requests"] / (raw["duration_us"] / 1e6),
            "p50_ms": raw["p50_us"] / 1000, "p99_ms": raw["p99_us"] / 1000,
            "errors": raw["errors"], "non2xx": raw["non2xx"], "tool": "wrk"}


def run_python(port: int, connections: int, duration: float,
               vary: bool = False) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.pyload", HOST, str(port), "--connections",
         str(connections), "--duration", str(duration), *(["--vary"] if vary else [])],
        capture_output=True, text=True, check=True, timeout=duration + 60,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return dict(orjson.loads(out.strip().splitlines()[-1]))


def load(port: int, connections: int = 32, duration: float = 5.0, warmup: float = 1.0,
         wrk: str | None = None, vary: bool = False, pid: int | None = None) -> dict[str, Any]:
    """A short warm-up (none when `warmup` is 0), then the measured run, against the chat workload.

    With the server's `pid`, also the server's CPU time per request in the measured run: a
    figure far less disturbed by other load on the machine than requests per second.
    """
    def once(seconds: float) -> dict[str, Any]:
        if wrk:
            return run_wrk(wrk, port, connections, seconds, vary)
        return run_python(port, connections, seconds, vary)

    if warmup > 0:
        once(warmup)
    cpu = cpu_seconds(pid) if pid else 0.0
    result = once(duration)
    if pid:
        used = cpu_seconds(pid) - cpu
        result["cpu_us_per_request"] = used / max(1, result["requests"]) * 1e6
    return result
