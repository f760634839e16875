"""`python -m moonshot_mock_contracts run ...` and `python -m moonshot_mock_contracts drift A B`.

A and B are result.json files or recording directories (reply files); `drift RECORDING` alone
compares a recording with the fake's answers to the same requests, in-process and without a key.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mock_server.settings import ConfigError

from .drift import diff, render_diff
from .live import CHEAP_MODEL
from .pacing import TIER0_RPM
from .recorded import recording_side
from .recorded_fake import fake_side
from .run import PROFILES, RunRequest, execute, has_problems

DEFAULT_LIVE_URL = "https://api.moonshot.ai"
NO_KEY = ("contract-live skipped: MOONSHOT_API_KEY is not set (pass --api-key or set the "
          "variable to run the live profile against the real API)")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m moonshot_mock_contracts", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="check a server against the spec")
    run.add_argument("--profile", choices=PROFILES, default="fake")
    run.add_argument("--base-url", help="server to check; omit for the fake in-process "
                     "(live default: $MOONSHOT_BASE_URL or https://api.moonshot.ai)")
    run.add_argument("--api-key", help="Bearer key (live default: $MOONSHOT_API_KEY)")
    run.add_argument("--out", type=Path, help="directory for result.json and report.md")
    run.add_argument("--max-examples", type=int, default=25)
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--rpm", type=float, default=TIER0_RPM,
                     help="live pacing in requests per minute (0: no pacing)")
    run.add_argument("--model", default=CHEAP_MODEL, help="model of the live plan's chat steps")
    run.add_argument("--max-tokens", type=int, default=16)
    run.add_argument("--spec", type=Path, help="spec file (default: the packaged moonshot.yaml)")
    drift = commands.add_parser("drift", help="compare two result.json files or recordings side "
                                "by side; a recording alone is compared with the fake")
    drift.add_argument("a", type=Path, help="result.json or a recording directory")
    drift.add_argument("b", type=Path, nargs="?",
                       help="result.json or a recording directory (default: the fake, when A is a "
                       "recording)")
    drift.add_argument("--seed", type=int, default=0, help="seed of the fake answering a recording")
    drift.add_argument("--out", type=Path, help="directory for drift.json and drift.md")
    return root


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = parser().parse_args(argv)
    env = os.environ if env is None else env
    logging.getLogger("python_multipart").setLevel(logging.ERROR)
    if args.command == "drift":
        return drift_command(args)
    return run_command(args, env)


def run_command(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    api_key, base_url = args.api_key, args.base_url
    if args.profile == "live":
        api_key = api_key or env.get("MOONSHOT_API_KEY")
        base_url = base_url or env.get("MOONSHOT_BASE_URL") or DEFAULT_LIVE_URL
        if not api_key:
            print(NO_KEY)
            return 0
    if base_url:
        base_url = server_root(base_url)
    app = None
    if base_url is None:
        from mock_server.app import create_app
        from mock_server.config import Settings

        app = create_app(Settings(seed=args.seed, clock="virtual", explicit_caching=True))
    request = RunRequest(profile=args.profile, api_key=api_key or "sk-contract-suite",
                         base_url=base_url, out=args.out,
                         max_examples=args.max_examples, seed=args.seed, rpm=args.rpm,
                         model=args.model, max_tokens=args.max_tokens, spec_path=args.spec,
                         app=app)
    result = execute(request)
    totals, run = result["totals"], result["run"]
    where = f"; report in {args.out}" if args.out else ""
    print(f"{args.profile} run against {run['target']}: {totals['requests']} requests, "
          f"{totals['problems']} distinct problems, {len(run['errors'])} engine errors, "
          f"{run['duration_seconds']} s{where}")
    return 1 if has_problems(result) else 0


def server_root(base_url: str) -> str:
    """The server's root: the spec's paths start with /v1, so an SDK-style base URL that ends
    in /v1 (what the OpenAI SDK is given) is taken back to its root, with a note."""
    root = base_url.rstrip("/")
    if root.endswith("/v1"):
        root = root.removesuffix("/v1")
        print(f"note: --base-url {base_url} ends in /v1, which the spec's paths already start "
              f"with; checking {root}")
    return root


def drift_command(args: argparse.Namespace) -> int:
    if args.b is None and not args.a.is_dir():
        print(f"drift: {args.a} is not a recording directory; give two sides to compare")
        return 2
    for path in (p for p in (args.a, args.b) if p is not None):
        if not path.exists():
            print(f"drift: {path} does not exist (run the contract target that writes it first)")
            return 2
    try:
        report = diff(side(args.a), side(args.b) if args.b else fake_side(args.a, args.seed))
    except ConfigError as exc:  # a reply file that cannot be read, named
        print(f"drift: {exc}")
        return 2
    text = render_diff(report)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "drift.json").write_text(json.dumps(report, indent=2, ensure_ascii=False)
                                             + "\n", encoding="utf-8")
        (args.out / "drift.md").write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


def side(path: Path) -> dict[str, Any]:
    """A drift side: a recording directory, or a run's result.json."""
    return recording_side(path) if path.is_dir() else json.loads(path.read_text("utf-8"))
