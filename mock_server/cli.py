"""The offline fake of the Moonshot (Kimi) API.

`moonshot-mock serve` starts it (the default command: `moonshot-mock --port 9000` is `moonshot-mock
serve --port 9000`); `moonshot-mock record --upstream URL --record-dir DIR` forwards every /v1
request to a real API and writes each exchange as a reply file; `moonshot-mock journal [--follow]`
prints the request journal of a running server. Also `python -m mock_server`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any, NoReturn

from mock_server import __version__
from mock_server.accounts.admission import check_settings
from mock_server.cli_journal import add_journal_command, run_journal
from mock_server.config import ConfigError, DeprecatedName, load_settings
from mock_server.settings import Settings

BAD_SETTINGS = 2  # exit code: a setting is wrong (the message names it)
UNUSABLE_ENVIRONMENT = 3  # exit code: the settings are right but cannot work here (Redis, port)
# flags of earlier releases: refused, naming the one flag that replaced each
RENAMED_FLAGS = {"--passthrough": "--upstream", "--record": "--record-dir", "--out": "--record-dir",
                 "--replies": "--reply-files-dir"}
EPILOG = """Run `moonshot-mock COMMAND --help` for a command's options. Each option is also a
setting of the config file and a MOONSHOT_MOCK_* variable (docs/configuration.md)."""


class Parser(argparse.ArgumentParser):
    """argparse without abbreviated options (a prefix is a typo, answered with the closest)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(allow_abbrev=False, **kwargs)
        self.commands: dict[str, Parser] = {}

    def refuse_renamed(self, args: Sequence[str]) -> None:
        """A flag of an earlier release is refused naming its heir, before anything is parsed
        (a required flag it stands for would otherwise be reported missing)."""
        for option in (arg.partition("=")[0] for arg in args if arg.startswith("--")):
            if option in RENAMED_FLAGS:
                self.error(f"{option} was renamed: write {RENAMED_FLAGS[option]}")

    def unrecognized(self, extras: Sequence[str]) -> NoReturn:
        """`unrecognized argument --prot; did you mean --port?` (the flags it begins, else the
        closest by spelling)."""
        word = extras[0]
        option = word.partition("=")[0]
        known = [o for action in self._actions for o in action.option_strings if o.startswith("--")]
        close = [o for o in known if o.startswith(option)] if len(option) > 2 else []
        if not close and word.startswith("-"):
            import difflib  # on first use: a misspelt name

            close = difflib.get_close_matches(option, known, n=1, cutoff=0.6)
        hint = "" if not close else f"; did you mean {' or '.join(close)}?"
        self.error(f"unrecognized argument {word}{hint}")


def parser() -> Parser:
    root = Parser(prog="moonshot-mock", description=__doc__, epilog=EPILOG,
                  formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("--version", action="version", version=f"moonshot-mock {__version__}")
    commands = root.add_subparsers(dest="command", title="commands", metavar="COMMAND",
                                   parser_class=Parser)
    root.commands = commands.choices
    serve = commands.add_parser("serve", help="start the fake API server (the default command)",
                                usage="%(prog)s [options]", description="Start the fake API server.")
    add_server_arguments(serve)
    serve.add_argument("--config", help="YAML or TOML settings file (docs/configuration.md)")
    serve.add_argument("--seed", type=int, help="seed for replies and ids (default 0)")
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
    serve.add_argument("--quiet", dest="request_log", action="store_false", default=None,
                       help="no line per request on the terminal")
    add_admission_arguments(serve)
    add_reply_arguments(serve)
    add_recording_arguments(serve, required=False)
    record = commands.add_parser(
        "record", help="forward every /v1 request to an upstream API and write each exchange "
        "as a reply file (docs/recording.md)", usage="%(prog)s --upstream URL --record-dir DIR "
        "[options]", description="Record a real API: forward every /v1 "
        "request to --upstream and write each exchange as a reply file in --record-dir.")
    add_recording_arguments(record, required=True)
    add_server_arguments(record)
    add_journal_command(commands)
    return root


def add_server_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    command.add_argument("--port", type=int, help="port to listen on (default 8000)")
    command.add_argument("--log-level", dest="log_level", help="uvicorn log level (default info)")


def add_recording_arguments(command: argparse.ArgumentParser, required: bool) -> None:
    """One spelling in `serve` and `record`: where to forward, where to write."""
    unmatched = "every /v1 request" if required else "/v1 requests no reply file matches"
    command.add_argument("--upstream", required=required, metavar="URL",
                         help=f"forward {unmatched} to this API, e.g. https://api.moonshot.ai")
    command.add_argument("--record-dir", dest="record_dir", required=required, metavar="DIR",
                         help="write each forwarded exchange as a reply file in this directory")


def add_reply_arguments(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--reply-files-dir", dest="reply_files_dir", metavar="DIR",
                       help="reply files loaded at start: recorded exchanges and scripted reply "
                       "rules (YAML/JSON)")
    serve.add_argument("--replay-strict", dest="replay_strict", action="store_true", default=None,
                       help="answer a request no reply file matches with 404 naming the closest")
    serve.add_argument("--replay-speed", dest="replay_speed", type=float,
                       help="recorded stream pacing divided by this (default 1; 0: at once)")


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


def parse(argv: Sequence[str]) -> dict[str, Any]:
    """The options of a command line by setting name (plus `command`), or exit 2 saying why."""
    args = list(argv)
    if not args or (args[0].startswith("-") and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "serve")  # the default command
    root = parser()
    commands = root.commands
    if not args[0].startswith("-") and args[0] not in commands:
        import difflib  # on first use: a misspelt name

        close = difflib.get_close_matches(args[0], list(commands), n=1, cutoff=0.5)
        root.error(f"unknown command {args[0]!r}" + (f"; did you mean {close[0]!r}?" if close else "")
                   + f" (commands: {', '.join(commands)})")
    if args[0] in commands:
        commands[args[0]].refuse_renamed(args[1:])
    namespace, extras = root.parse_known_args(args)
    if extras:
        commands[namespace.command].unrecognized(extras)
    return vars(namespace)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
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
