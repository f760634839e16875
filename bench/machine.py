"""What the numbers were measured on: the machine and the versions of everything involved."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("moonshot-mock", "starlette", "uvicorn", "uvloop", "httptools", "orjson",
            "fastjsonschema", "jsonschema-rs", "pyyaml", "httpx")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return round(kib / 1024 / 1024, 1)


def _tool_version(argv: list[str]) -> str | None:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0] if text else None


def _package(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def describe(wrk: str | None, prism: Path) -> dict[str, Any]:
    return {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": _memory_gib(),
        "kernel": platform.release(), "python": platform.python_version(),
        "packages": {name: _package(name) for name in PACKAGES},
        "wrk": _tool_version([wrk, "--version"]) if wrk else None,
        "node": _tool_version(["node", "--version"]),
        "prism": _tool_version([str(prism), "--version"]) if prism.exists() else None,
    }
