"""One contract run: pick the profile, drive the target, fold the observations, write reports.

Profiles:
* `fake` — the full schemathesis suite (every phase, positive and negative data) plus the live
  plan unpaced; for the fake in-process, the fake over HTTP, or any gateway that claims
  Moonshot compatibility and can take fuzzing.
* `live` — only the live plan (positive, cheap, paced under Tier0's 3 RPM); for the real API.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig

from .live import CHEAP_MODEL, LiveOptions, run_plan
from .observations import Exchange, RunInfo, fold
from .pacing import TIER0_RPM, Pacer, PoliteSession
from .report import render_result
from .spec import load_spec
from .suite import SuiteOptions, load_schema, run_suite

PROFILES = ("fake", "live")
MAX_PLAN_STREAM_EVENTS = 500


@dataclass(frozen=True)
class RunRequest:
    profile: str
    api_key: str
    base_url: str | None = None  # None: the fake in-process (`app`)
    out: Path | None = None
    max_examples: int = 25
    seed: int | None = 0
    phases: tuple[str, ...] = SuiteOptions.phases
    rpm: float = TIER0_RPM
    model: str = CHEAP_MODEL
    max_tokens: int = 16
    spec_path: Path | None = None
    app: Any = None
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = field(default=time.sleep)


def execute(request: RunRequest) -> dict[str, Any]:
    """Run the profile against the target; write result.json and report.md when `out` is set."""
    if request.profile not in PROFILES:
        raise ValueError(f"profile must be one of {PROFILES}, got {request.profile!r}")
    document = load_spec(request.spec_path)
    target = request.base_url or "in-process fake"
    info = RunInfo(request.profile, target, request.seed, str(document["info"]["version"]),
                   datetime.now(UTC).isoformat(timespec="seconds"))
    started = time.monotonic()
    exchanges: list[Exchange] = []
    for item in _drive(request, document):
        if isinstance(item, Exchange):
            exchanges.append(item)
        else:
            info.errors.append(item)
    info.duration_seconds = round(time.monotonic() - started, 2)
    result = fold(info, exchanges)
    if request.out is not None:
        write(result, request.out)
    return result


def _drive(request: RunRequest, document: dict[str, Any]) -> Iterable[Exchange | str]:
    if request.profile == "fake":
        options = SuiteOptions(api_key=request.api_key, max_examples=request.max_examples,
                               seed=request.seed, phases=request.phases)
        yield from run_suite(load_schema(document, options, base_url=request.base_url,
                                         app=request.app))
    rpm = request.rpm if request.profile == "live" else 0
    pacer = Pacer.for_rpm(rpm, clock=request.clock, sleep=request.sleep)
    with PoliteSession(pacer) as session:
        transport = {"base_url": request.base_url, "session": session} if request.base_url else {}
        yield from run_plan(_plan_schema(request, document), document,
                            LiveOptions(request.api_key, request.model, request.max_tokens),
                            transport)


def _plan_schema(request: RunRequest, document: dict[str, Any]) -> Any:
    # a stream is read whole (schemathesis stops at 20 events by default), so its final event
    # is checked: the plan's streams are short (their output is pinned small)
    config = SchemathesisConfig.from_dict({"max-stream-events": MAX_PLAN_STREAM_EVENTS})
    schema = schemathesis.openapi.from_dict(dict(document), config=config)
    if request.base_url is None:
        schema.app = request.app
    return schema


def write(result: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    (out / "report.md").write_text(render_result(result), encoding="utf-8")


def has_problems(result: dict[str, Any]) -> bool:
    return bool(result["totals"]["problems"] or result["run"]["errors"])
