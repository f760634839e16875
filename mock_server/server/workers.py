"""`serve --workers N`: uvicorn runs N processes, each building the app from an import string.

The parent writes its final Settings (flags, environment and file already merged) to a temporary
JSON config file and names it in `MOONSHOT_MOCK_WORKER_CONFIG`; each worker's factory reads only
that file, so every process runs with exactly the parent's settings. Limits, balances and the
virtual time hold across workers only with shared state (`--state redis`); files always do:
without `--data-dir` the workers share a durable store in a temporary directory, removed at exit.
The control plane's rules, scenarios and journal, and the overload schedule, stay per worker:
the notice printed at start says so.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_server.config import Settings, settings_from_mapping
from mock_server.ids import IdGenerator

if TYPE_CHECKING:
    from mock_server.http.edge import Edge

WORKER_CONFIG_ENV = "MOONSHOT_MOCK_WORKER_CONFIG"


def settings_document(settings: Settings) -> dict[str, Any]:
    """Settings as plain data that `config.settings_from_mapping` turns back into the same Settings."""
    document = {name: str(value) if isinstance(value, Path) else value
                for name, value in dataclasses.asdict(settings).items()}
    document["faults"] = [rule.to_json() for rule in settings.faults]  # back to their text
    document["reply_rules"] = [{**rule.written, "id": rule.id} for rule in settings.reply_rules]
    if settings.web_results is not None:
        document["web_results"] = settings.web_results.entries()
    return document


def write_worker_config(settings: Settings, directory: Path) -> Path:
    path = directory / "worker-settings.json"
    path.write_text(json.dumps(settings_document(settings)), encoding="utf-8")
    return path


def worker_app() -> Edge:
    """The uvicorn factory each worker calls (`mock_server.server.workers:worker_app`)."""
    from mock_server.app import create_app

    document = json.loads(Path(os.environ[WORKER_CONFIG_ENV]).read_text(encoding="utf-8"))
    settings = settings_from_mapping(document)
    app = create_app(settings)
    # Replies stay seeded by `seed`; ids must not repeat across processes.
    app.state.services.ids = IdGenerator(settings.seed * 1_000_003 + os.getpid())
    return app


def workers_notice(settings: Settings) -> str:
    """What the workers share and what each keeps to itself, printed at start."""
    if settings.state == "redis":
        shared = "limits, balances and the virtual clock are shared through Redis"
    else:
        shared = ("warning: limits, balances and the virtual clock are per worker with memory "
                  "state (use --state redis to share them)")
    return (f"moonshot-mock: {settings.workers} workers; {shared}; fault rules, scenarios, "
            "the journal and the overload schedule are per worker (one worker for tests that "
            "count them)")


def serve_workers(settings: Settings) -> int:
    import uvicorn

    from mock_server.server.protocols import protocol_class

    print(workers_notice(settings), file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="moonshot-mock-") as directory:
        if settings.data_dir is None:  # files must hold across workers: one shared store
            settings = dataclasses.replace(settings, data_dir=Path(directory) / "files")
        os.environ[WORKER_CONFIG_ENV] = str(write_worker_config(settings, Path(directory)))
        uvicorn.run("mock_server.server.workers:worker_app", factory=True, workers=settings.workers,
                    host=settings.host, port=settings.port, log_level=settings.log_level,
                    access_log=False, http=protocol_class(header_timeout=settings.header_timeout),
                    timeout_keep_alive=settings.keep_alive_timeout, ws="none", server_header=False,
                    proxy_headers=False)
    return 0
