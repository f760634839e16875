"""`moonshot-mock serve --host --port --seed --config` (also `python -m mock_server`),
`moonshot-mock record --upstream URL --out DIR`: a recording proxy in front of a real API, and
`moonshot-mock journal [--follow]`: the request journal of a running server."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from mock_server import __version__
from mock_server.accounts.admission import check_settings
from mock_server.cli_journal import add_journal_command, run_journal
from mock_server.config import ConfigError, DeprecatedName, load_settings
from mock_server.settings import Settings

BAD_SETTINGS = 2  # exit code: a setting is wrong (the message names it)
UNUSABLE_ENVIRONMENT = 3  # exit code: the settings are right but cannot work here (Redis, port)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="moonshot-mock", description=__doc__)
    root.add_argument("--version", action="version", version=f"moonshot-mock {__version__}")
    commands = root.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="start the fake API server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--seed", type=int, help="seed for replies and ids (default 0)")
    serve.add_argument("--config", help="YAML or TOML settings file")
    serve.add_argument("--clock", choices=("real", "virtual"), help="time source")
    serve.add_argument("--api-date", dest="api_date",
                       help="emulate the API of this day, YYYY-MM-DD: its models, rules and "
                            "error texts (default: the clock's day)")
    serve.add_argument("--data-dir", dest="data_dir",
                       help="keep uploaded files, their metadata and batches in this directory")
    serve.add_argument("--batch-seconds", dest="batch_seconds", type=float,
                       help="seconds from a batch's creation to its completion (default 3)")
    serve.add_argument("--tokenizer-file", dest="tokenizer_file",
                       help="a Kimi tiktoken.model: count tokens exactly with it (default: estimate)")
    serve.add_argument("--explicit-caching", dest="explicit_caching", action="store_true",
                       default=None, help="serve the older /v1/caching API (default off)")
    serve.add_argument("--log-level", dest="log_level", help="uvicorn log level (default info)")
    serve.add_argument("--quiet", dest="request_log", action="store_false", default=None,
                       help="no line per request on the terminal")
    add_admission_arguments(serve)
    add_replay_arguments(serve)
    add_journal_command(commands)
    record = commands.add_parser("record", help="forward every /v1 request to an upstream API and "
                                 "write each exchange as a reply file (docs/recording.md)")
    record.add_argument("--upstream", required=True,
                        help="the API to record, e.g. https://api.moonshot.ai")
    record.add_argument("--out", dest="record_dir", required=True, help="directory of reply files")
    record.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    record.add_argument("--port", type=int, help="port to listen on (default 8000)")
    record.add_argument("--log-level", dest="log_level", help="uvicorn log level (default info)")
    return root


def add_replay_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--replies", dest="reply_files_dir",
                       help="reply files loaded at start: recorded exchanges and scripted reply "
                       "rules (YAML/JSON)")
    serve.add_argument("--replay-strict", dest="replay_strict", action="store_true", default=None,
                       help="answer a request no reply file matches with 404 naming the closest")
    serve.add_argument("--replay-speed", dest="replay_speed", type=float,
                       help="recorded stream pacing divided by this (default 1; 0: at once)")
    serve.add_argument("--passthrough", dest="upstream",
                       help="forward unmatched /v1 requests to this upstream URL")
    serve.add_argument("--record", dest="record_dir",
                       help="write each forwarded exchange as a reply file in this directory")


def add_admission_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--workers", type=int, help="uvicorn worker processes (default 1)")
    serve.add_argument("--tier", help="rate-limit preset Tier0..Tier5 for every account (default off)")
    serve.add_argument("--limits", help="limit overrides, e.g. concurrency=1,rpm=3,tpm=none")
    serve.add_argument("--state", choices=("memory", "redis"), help="where limits and balances live")
    serve.add_argument("--redis-url", dest="redis_url", help="Redis for --state redis")
    serve.add_argument("--redis-prefix", dest="redis_prefix", help="prefix of the Redis keys")
    serve.add_argument("--rate-limit-headers", dest="rate_limit_headers", action="store_true",
                       default=None, help="send X-RateLimit-* and Retry-After (real API: none)")
    serve.add_argument("--retry-hint", dest="retry_hint", choices=("captured", "window"),
                       help="429 'try again after N seconds': 1 as captured (default) or the "
                            "window's remainder")
    serve.add_argument("--overload-probability", dest="overload_probability", type=float,
                       help="chance of 429 engine_overloaded_error per inference request")
    serve.add_argument("--overload-schedule", dest="overload_schedule",
                       help="inference request numbers answered as overloaded, e.g. 1,2,5-7")
    serve.add_argument("--stream-event-interval", dest="stream_event_interval", type=float,
                       help="seconds between SSE events (default 0)")


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0].startswith("-") and args[0] != "--version"):
        args.insert(0, "serve")
    options = vars(parser().parse_args(args))
    if options.pop("command") == "journal":
        return run_journal(options)
    try:
        settings = settings_with_warnings(options)
        check_settings(settings)
    except ConfigError as exc:
        print(f"moonshot-mock: {exc}", file=sys.stderr)
        return BAD_SETTINGS
    problem = unusable_environment(settings)
    if problem:
        print(f"moonshot-mock: {problem}", file=sys.stderr)
        return UNUSABLE_ENVIRONMENT
    from mock_server.server.run import PortInUse, serve  # uvicorn is imported only to serve

    try:
        return serve(settings)
    except PortInUse as exc:
        print(f"moonshot-mock: cannot listen: {exc}", file=sys.stderr)
        return UNUSABLE_ENVIRONMENT


def settings_with_warnings(options: dict[str, Any]) -> Settings:
    """The settings; a name of an earlier release is told on stderr, as a warning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DeprecatedName)
        try:
            return load_settings(options)
        finally:  # told even when a later setting is refused
            for warning in caught:
                print(f"moonshot-mock: warning: {warning.message}", file=sys.stderr)


def unusable_environment(settings: Settings) -> str | None:
    """What the machine lacks for these settings (a Redis to share state through), before
    anything starts. (Several workers over memory state are warned about by their notice.)"""
    if settings.state == "redis":
        from mock_server.accounts.state.redis import unreachable

        reason = unreachable(settings.redis_url)
        if reason:
            return (f"--state redis needs a Redis, and {settings.redis_url} does not answer "
                    f"({reason}); start one or pass --redis-url")
    return None
