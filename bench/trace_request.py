"""The way of one request through the package, counted: which modules and functions it enters,
and how often it switches layer and climbs back up one.

`python -m bench.trace_request` builds an app (seed 0, virtual clock), sends one warm-up
request, then traces a second identical non-stream `POST /v1/chat/completions` through the raw
ASGI interface with `sys.setprofile`. Every Python-level call into a function defined under
`mock_server/` is one step, in call order; its layer is the layer of its module in the import
contract (`tests/unit/test_layers.LAYERS`). A *switch* is a step whose layer differs from the
step before it; a *climb* is a switch to a higher layer (counted as the issue counted them:
it includes an orchestrator calling its next step after a lower step returned). An *upward
call* is stricter: a function calling one of a higher layer (a lower layer handing control
back up, as a callback). `--verbose` lists the steps.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from types import FrameType
from typing import Any

import orjson

from bench.workload import asgi_post
from mock_server.app import create_app
from mock_server.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = str(ROOT / "mock_server")


def body(text: str) -> bytes:
    return orjson.dumps({"model": "kimi-k2.6", "messages": [{"role": "user", "content": text}],
                         "max_tokens": 64})


def layers() -> tuple[tuple[str, tuple[str, ...]], ...]:
    sys.path.insert(0, str(ROOT))
    from tests.unit.test_layers import LAYERS

    return LAYERS


def layer_of(module: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> int:
    parts = module.split(".")
    unit = parts[1] if len(parts) > 1 else "__init__"
    return next((rank for rank, (_, units) in enumerate(table) if unit in units), -1)


@dataclass
class Trace:
    steps: list[tuple[str, str]] = field(default_factory=list)  # (module, function)
    callers: list[str | None] = field(default_factory=list)  # the calling module, when ours

    def profile(self, frame: FrameType, event: str, arg: Any) -> None:
        if event == "call" and frame.f_code.co_filename.startswith(PACKAGE):
            module = frame.f_globals.get("__name__", "?")
            self.steps.append((module, frame.f_code.co_qualname))
            back = frame.f_back
            ours = back is not None and back.f_code.co_filename.startswith(PACKAGE)
            self.callers.append(back.f_globals.get("__name__") if ours and back else None)


async def one_request(app: Any, sent: bytes, trace: Trace | None) -> int:
    """The status of one chat request through the raw ASGI interface, traced when asked."""
    if trace is not None:
        sys.setprofile(trace.profile)
    try:
        return await asgi_post(app, sent)
    finally:
        sys.setprofile(None)


def summary(trace: Trace) -> Iterator[str]:
    table = layers()
    ranks = [layer_of(module, table) for module, _ in trace.steps]
    switches = sum(1 for a, b in pairwise(ranks) if a != b)
    climbs = sum(1 for a, b in pairwise(ranks) if b > a)
    upward = [f"{caller} -> {module}" for (module, _), caller in zip(trace.steps, trace.callers,
                                                                      strict=True)
              if caller is not None and layer_of(module, table) > layer_of(caller, table)]
    modules = dict.fromkeys(module for module, _ in trace.steps)
    functions = set(trace.steps)
    http = sorted(m for m in modules if m.startswith("mock_server.http."))
    yield f"calls: {len(trace.steps)}"
    yield f"modules entered: {len(modules)}"
    yield f"functions entered: {len(functions)}"
    yield f"layer switches: {switches}, of which climbs back up: {climbs}"
    yield f"upward calls: {len(upward)} ({', '.join(sorted(set(upward)))})"
    yield f"http/ modules entered: {len(http)} ({', '.join(m.rsplit('.', 1)[1] for m in http)})"
    yield "modules: " + ", ".join(m.removeprefix("mock_server.") for m in modules)


def main() -> None:
    """A new body (nothing remembered of it), then the same body again."""
    app = create_app(Settings(seed=0, clock="virtual", request_log=False))
    asyncio.run(one_request(app, body("Warm up"), None))  # lazy imports, first-use caches
    for title in ("a new body", "the same body again"):
        trace = Trace()
        status = asyncio.run(one_request(app, body("Hello"), trace))
        print(f"== {title}: status {status}")
        for line in summary(trace):
            print(line)
        if "--verbose" in sys.argv:
            table = layers()
            for module, function in trace.steps:
                print(f"  {table[layer_of(module, table)][0]:9} {module}.{function}")


if __name__ == "__main__":
    main()
