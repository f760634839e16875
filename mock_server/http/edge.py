"""The app's outermost ASGI layer: what every HTTP request goes through, in one place.

For each request, in order:

1. its `Msh-Request-Id` (UUIDv1 of the request time), `Server-Timing: inner; dur=N` and the
   real gateway's headers on the response (`gateway`: Server, Vary, Msh-Uid, Msh-Gid, a trace
   id), gzip for a large JSON body the client accepts compressed, and its journal entry
   opened, then filled from the `Call` when it answers;
2. `X-Mock-Clock-Advance` applied (`clock_header`);
3. with an `upstream` set, a `/v1` request no recorded exchange answers is forwarded
   there (`replay.Front`) and goes no further (recorded exchanges are answered by the engine);
4. dispatch: a spec operation (`Operations`) gets the request's `Call` and goes through the
   door runner (`doors.door_endpoint`, an inference door in front of the engine) or the
   pipeline (`pipeline.make_endpoint`); everything else — unknown URLs and methods (404/405),
   the control plane, the spec document — through the Starlette router;
5. anything raised before the first byte becomes an error envelope: a `MoonshotError` in the
   envelope of the operation's door (`render_error` of an inference door's endpoint, else the
   Moonshot envelope), an `HTTPException` as the router renders it, anything else as 500
   `server_error`.

One layer instead of a middleware stack: this runs for every request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

from starlette.datastructures import Headers, State
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.clock import day_of, iso_day
from mock_server.engine.entries import fill_entry, open_entry
from mock_server.errors import MoonshotError
from mock_server.http.bounds import check_headers
from mock_server.http.call import HttpCall
from mock_server.http.clock_header import advance_clock
from mock_server.http.connection import ConnectionDropped
from mock_server.http.gateway import GzipSend, accepts_gzip, gateway_headers
from mock_server.http.responses import error_response
from mock_server.journal import redact

if TYPE_CHECKING:
    from mock_server.http.replay import Front
    from mock_server.services import Services

log = logging.getLogger("moonshot_mock")
# one INFO line per request (`serve` prints them; `--quiet` or `request_log: false` stops them)
access_log = logging.getLogger("moonshot_mock.requests")
REASON_WIDTH = 100  # characters of an error's message on its request's log line

Endpoint = Callable[[HttpCall], Awaitable[ASGIApp]]
API_PREFIXES = ("/v1/", "/anthropic/v1/")  # the API's paths: what an upstream is forwarded


class ApiHeaders(Headers):
    """Starlette's `Headers`, looked up through a dict built once: the way through the fake
    reads about eight headers of every API request. The first of repeated headers wins, as in
    `Headers`."""

    def __init__(self, scope: Scope) -> None:
        super().__init__(scope=scope)
        self._first = dict(reversed(self.raw))

    def __getitem__(self, key: str) -> str:
        return self._first[key.lower().encode("latin-1")].decode("latin-1")

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower().encode("latin-1") in self._first

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        value = self._first.get(key.lower().encode("latin-1"))
        return default if value is None else value.decode("latin-1")


class ApiRequest(Request):
    """The request object of a directly dispatched endpoint."""

    @property
    def headers(self) -> Headers:
        headers: Headers | None = getattr(self, "_api_headers", None)
        if headers is None:
            headers = self._api_headers = ApiHeaders(self.scope)
        return headers


class Operations:
    """The spec's operations by method and path: fixed paths (`POST /v1/chat/completions` above
    all) by a dict lookup, paths with parameters by their compiled patterns. HEAD is answered as
    GET, as Starlette's router does."""

    def __init__(self, endpoints: Mapping[tuple[str, str], Endpoint],
                 since: Mapping[tuple[str, str], int] | None = None) -> None:
        self.fixed = {key: e for key, e in endpoints.items() if "{" not in key[1]}
        self.patterns = [(method, compile_path(path)[0], e) for (method, path), e in endpoints.items()
                         if "{" in path]
        # (method, fixed path) -> the first API day it is served (`x-available-from`)
        self.since = dict(since or {})

    def match(self, method: str, path: str,
              day: int | None = None) -> tuple[Endpoint, dict[str, str]] | None:
        """The endpoint and path parameters; None for a path it does not serve (on `day`: an
        operation the API gained later is an unknown URL before)."""
        method = "GET" if method == "HEAD" else method
        endpoint = self.fixed.get((method, path))
        if endpoint is not None:
            first = self.since.get((method, path)) if self.since else None
            return None if first is not None and day is not None and day < first else (endpoint, {})
        for allowed, pattern, endpoint in self.patterns:
            found = pattern.match(path) if allowed == method else None
            if found is not None:
                return endpoint, found.groupdict()
        return None


class Edge:
    def __init__(self, router: ASGIApp, services: Services, operations: Operations,
                 front: Front | None = None) -> None:
        self.router = router
        self.services = services
        self.operations = operations
        self.front = front  # the upstream, when configured (`replay.Front`)
        self.state = State({"services": services})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = self  # the router raises HTTPException (404/405) only inside an app
        if scope["type"] != "http":
            await self.router(scope, receive, send)
            return
        started = time.perf_counter()
        services = self.services
        logged = services.settings.request_log and access_log.isEnabledFor(logging.INFO)
        now = services.clock.now()
        entry = open_entry(scope["method"], scope["path"], services.journal, now)
        request_id = services.ids.request_id(now)
        day = day_of(now) if services.api_day is None else services.api_day
        route = self.operations.match(scope["method"], scope["path"], day)
        call: HttpCall | None = None
        failure: MoonshotError | None = None  # the error answered, for the request's log line
        response_started = False
        gzip_min = services.settings.gzip_min_bytes
        out: Send = GzipSend(send, gzip_min) if gzip_min > 0 and accepts_gzip(scope) else send

        async def send_with_meta(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                duration = round((time.perf_counter() - started) * 1000)
                if logged:
                    log_request(scope, message["status"], duration, request_id, call, failure,
                                served_note(services, call, message["status"], day))
                message["headers"] = [  # a new list: the response's own stays as it was
                    *message.get("headers", ()), (b"msh-request-id", request_id.encode()),
                    (b"server-timing", b"inner; dur=%d" % duration),
                    *gateway_headers(services, call, day)]
                if entry is not None:
                    fill_entry(entry, call, message["status"], request_id)
            await out(message)

        try:
            check_headers(scope, services.settings)
            await advance_clock(services, scope)
            if self.front is not None and scope["path"].startswith(API_PREFIXES):
                answered = await self.front(scope, receive, send, entry, request_id)
                if answered is None:
                    return
                receive = answered
            if route is None:
                await self.router(scope, receive, send_with_meta)
                return
            request = ApiRequest(scope, receive, send)
            call = HttpCall(request_id, request.headers, entry, scope["method"], scope["path"],
                            scope["query_string"].decode("latin-1"), request=request)
            endpoint, scope["path_params"] = route
            response = await endpoint(call)
            await response(scope, receive, send_with_meta)
        except MoonshotError as error:
            if response_started:
                raise
            failure = error
            await render_error(route, error, request_id)(scope, receive, send_with_meta)
        except ConnectionDropped:
            raise  # an injected fault without a transport: the client's transport reports it
        except Exception:
            log.exception("request %s failed", request_id)
            if response_started:
                raise
            error = MoonshotError("server_error", "Internal server error, please try again later")
            await render_error(route, error, request_id)(scope, receive, send_with_meta)


def render_error(route: tuple[Endpoint, dict[str, str]] | None, error: MoonshotError,
                 request_id: str) -> ASGIApp:
    """The error in the envelope of the operation's door (`render_error` of an inference door's
    endpoint), else in the API's `{"error": …}` envelope."""
    render = getattr(route[0], "render_error", None) if route else None
    return error_response(error) if render is None else render(error, request_id)


def served_note(services: Services, call: HttpCall | None, status: int, day: int) -> str:
    """For a 404 of a model the catalogue has but the API's day does not serve (discontinued,
    or not yet launched): which `--api-date` serves it."""
    if status != 404:  # the usual answer: nothing more to say
        return ""
    model = call.body.get("model") if call is not None and isinstance(call.body, dict) else None
    if not isinstance(model, str):
        return ""
    known = services.catalogue.get(model)
    serving = None if known is None or known.served_on(day) else known.serving_day()
    return "" if serving is None else f" model={model} is served with --api-date {iso_day(serving)}"


def log_request(scope: Scope, status: int, ms: int, request_id: str, call: HttpCall | None,
                failure: MoonshotError | None = None, note: str = "") -> None:
    """`POST /v1/chat/completions 200 12ms req=… fault=…`: what was asked and answered, never a
    header or body (so never a key); an error answered adds its type and a short reason, and
    `note` says more (which API day serves a 404's model)."""
    fault = ""
    if call is not None and call.fault is not None:
        fault = f" fault={redact(call.fault.text)} ({call.fault_source})"
    if failure is not None:
        fault += f" error={failure.type} {short_reason(failure.message)!r}"
    line = f"{scope['method']} {redact(scope['path'])} {status} {ms}ms req={request_id}{fault}{note}"
    # a record made directly: the caller is always this function, not looked up on the stack
    access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, line,
                                            None, None))


def short_reason(message: str, width: int = REASON_WIDTH) -> str:
    """The error message on one line, cut at `width` characters, keys redacted."""
    line = " ".join(redact(message).split())
    return line if len(line) <= width else line[: width - 1] + "…"
