"""`moonshot-mock serve --host --port --seed --config` (also `python -m mock_server`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from mock_server.config import ConfigError, Settings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="moonshot-mock", description=__doc__)
    commands = root.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="start the fake API server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 8000)")
    serve.add_argument("--seed", type=int, help="seed for replies and ids (default 0)")
    serve.add_argument("--config", help="YAML or TOML settings file")
    serve.add_argument("--clock", choices=("real", "virtual"), help="time source")
    serve.add_argument("--data-dir", dest="data_dir",
                       help="keep uploaded files and their metadata in this directory")
    serve.add_argument("--log-level", dest="log_level", help="uvicorn log level (default info)")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0].startswith("-"):
        args.insert(0, "serve")
    options = vars(parser().parse_args(args))
    options.pop("command")
    try:
        settings = Settings.load(options)
    except ConfigError as exc:
        print(f"moonshot-mock: {exc}", file=sys.stderr)
        return 2
    return serve(settings)


def serve(settings: Settings) -> int:
    import uvicorn

    from mock_server.app import create_app

    app = create_app(settings)
    url = f"http://{settings.host}:{settings.port}"
    print(f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                access_log=False)
    return 0
