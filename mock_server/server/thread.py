"""Serve an app on a free loopback port in a background thread (tests, the pytest plugin)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import uvicorn

from mock_server.server.protocols import protocol_class
from mock_server.settings import Settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp


@contextmanager
def serve_in_thread(app: ASGIApp, host: str = "127.0.0.1", port: int = 0,
                    startup_timeout: float = 10.0, http: str = "auto",
                    settings: Settings | None = None) -> Iterator[str]:
    """Yield the base URL (`http://127.0.0.1:PORT`) while a uvicorn server runs the app (with
    the connection timeouts of `settings`, the defaults without)."""
    timeouts = settings or Settings()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            lifespan="off", http=protocol_class(http, timeouts.header_timeout),
                            timeout_keep_alive=timeouts.keep_alive_timeout, ws="none",
                            proxy_headers=False, server_header=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="moonshot-mock", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("moonshot-mock did not start")
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
