"""`serve`: one process (uvicorn with the fake's protocol classes) or `--workers N`.

The listening socket is bound before anything is printed: "listening on" is only ever said of
a port that is listening, and a port in use is reported as such (`PortInUse`)."""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import sys
import time

from mock_server.settings import Settings


class PortInUse(OSError):
    """The address cannot be bound; the message says which and why."""


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = ("is already in use (another server is listening there; choose another with "
                  "--port)" if exc.errno == errno.EADDRINUSE else f"cannot be bound: {exc.strerror}")
        raise PortInUse(f"{host}:{port} {reason}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def control_plane_warning(settings: Settings) -> str | None:
    """The warning for a server reachable from other machines whose control plane is open."""
    if settings.admin_token or _loopback(settings.host):
        return None
    return (f"moonshot-mock: warning: listening on {settings.host} without admin_token: anyone who "
            "can reach this port can use the control plane (/_mock/...) to inject errors, read "
            "the journal of requests and reset state. Set admin_token (or "
            "MOONSHOT_MOCK_ADMIN_TOKEN) to lock it, or listen on 127.0.0.1.")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to any interface


class RequestLines(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each request's line as `HH:MM:SS <line>`, the time of day of the record's own
    second (made once a second), and flushes it: a log a user can follow as it grows.

    Lean on purpose, as it runs for every request: no formatter (the line is complete), and
    the records carry no thread or process names (`request_log` turns them off: this
    process's log never shows them)."""

    _second: int | None = None
    _clock = ""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            second = int(record.created)
            if second != self._second:
                self._second = second
                self._clock = time.strftime("%H:%M:%S ", time.localtime(second))
            self.stream.write(self._clock + record.getMessage() + "\n")
            self.stream.flush()
        except Exception:
            self.handleError(record)


def request_log(settings: Settings) -> None:
    """The per-request lines of `http.edge` go to stdout, one a line, unless turned off."""
    logger = logging.getLogger("moonshot_mock.requests")
    if not settings.request_log or logger.handlers:
        return
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    logger.addHandler(RequestLines(sys.stdout))
    logger.setLevel(logging.INFO)
    logger.propagate = False


def serve(settings: Settings) -> int:
    import uvicorn

    from mock_server.app import create_app
    from mock_server.server.protocols import protocol_class

    warning = control_plane_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    url = f"http://{settings.host}:{port}"
    request_log(settings)
    if settings.workers > 1:
        from mock_server.server.workers import serve_workers

        sock.close()  # uvicorn's supervisor binds it again for its workers (SO_REUSEADDR)
        print(f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1), "
              f"{settings.workers} workers", flush=True)
        return serve_workers(settings)
    app = create_app(settings)
    print(f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1)", flush=True)
    # ws="none": the API has no WebSocket routes, and importing uvicorn's websockets support
    # would add ~25 ms to every start; proxy_headers=False: the fake reads neither the client's
    # address nor the scheme, so no layer rewrites them from X-Forwarded-* on every request
    config = uvicorn.Config(app, log_level=settings.log_level, access_log=False,
                            http=protocol_class(header_timeout=settings.header_timeout),
                            timeout_keep_alive=settings.keep_alive_timeout, ws="none",
                            proxy_headers=False,
                            server_header=False)  # the fake sends the real gateway's `Server`
    uvicorn.Server(config).run(sockets=[sock])
    return 0
