"""`make bench`: run the suite and write bench/results/latest.{md,json}.

`python -m bench.run [--quick] [--skip-prism]`. A full run takes about three minutes on the
2-core reference machine; `--quick` is a smoke run of well under a minute.
"""

from __future__ import annotations

import argparse
import compileall
import time
from pathlib import Path
from typing import Any

from bench import loadgen, machine, report, suite
from bench.prism import ensure_prism
from bench.servers import PRISM, ROOT


def _prism_phase(plan: suite.Plan, wrk: str | None) -> dict[str, Any]:
    reason = ensure_prism()
    if reason is not None:
        return {"error": reason}
    try:
        return suite.prism(plan, wrk)
    except (RuntimeError, TimeoutError) as exc:
        return {"error": f"Prism did not serve the spec: {exc}"}


def compile_bytecode() -> None:
    """Bytecode for the fake and the bare app, as an installed package has it (an editable
    install under PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module at each
    start, which is not what a user's server does)."""
    for package in ("mock_server", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)


def run(plan: suite.Plan, with_prism: bool) -> dict[str, Any]:
    compile_bytecode()
    wrk = loadgen.find_wrk()
    size = suite.chat_answer_size()
    phases: dict[str, Any] = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                              "plan": plan.__dict__, "answer_bytes": size}
    steps = {
        "chat": lambda: suite.throughput(plan, wrk, size),
        "chat_varied": lambda: suite.throughput(plan, wrk, size, vary=True),
        "prism": (lambda: _prism_phase(plan, wrk)) if with_prism else (lambda: {
            "error": "skipped (--skip-prism)"}),
        "cold_start": lambda: suite.cold_start(plan),
        "single_stream": lambda: suite.single_stream(plan),
        "streams": lambda: suite.many_streams(plan),
        "in_process": lambda: suite.in_process(plan),
        "cache_evicted": lambda: suite.cache_evicted(plan),
    }
    for name, step in steps.items():
        started = time.perf_counter()
        phases[name] = step()
        print(f"bench: {name} done in {time.perf_counter() - started:.0f}s", flush=True)
    phases["machine"] = machine.describe(wrk, PRISM)
    return phases


def main() -> None:
    args = argparse.ArgumentParser(prog="python -m bench.run")
    args.add_argument("--quick", action="store_true", help="a short smoke run")
    args.add_argument("--skip-prism", action="store_true", help="do not install or run Prism")
    args.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    ns = args.parse_args()
    results = run(suite.QUICK if ns.quick else suite.Plan(), not ns.skip_prism)
    md, _ = report.write(results, ns.out)
    print(md.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
