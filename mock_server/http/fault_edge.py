"""Faults at the edge of a request: decode the X-Mock-* headers, choose, act before the body.

Called by the pipeline right after authentication (DESIGN step 3). Latency waits here; an
error fault raises its `MoonshotError`; a 504 and connection faults answer with the responses
below. The plan stays on the request's `Call`, where the SSE generator finds its stream faults.
Faults wait in real time (`FaultBook.sleep`): they exist to exercise a client's real timeouts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mock_server.accounts.auth import Caller
from mock_server.errors import MoonshotError, invalid_request
from mock_server.faults.book import FaultRequest
from mock_server.faults.dsl import FaultPlan, FaultSyntaxError, parse_fault
from mock_server.faults.presets import render_message
from mock_server.faults.stream import faulty_events, recorded_events
from mock_server.http.body import media_type
from mock_server.http.connection import cut_stream, drop_connection
from mock_server.ids import stable_hex
from mock_server.journal import StreamRecord

if TYPE_CHECKING:
    from mock_server.http.call import Call
    from mock_server.services import Services
    from mock_server.settings import Settings

FAULT_HEADER = "x-mock-fault"
SCENARIO_HEADER = "x-mock-scenario"
SESSION_HEADER = "x-mock-session"
ADMIN_TOKEN_HEADER = "x-mock-admin-token"
GATEWAY_TIMEOUT_HTML = (
    b"<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
    b"<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


class GatewayTimeoutResponse(Response):
    """Silence for `delay` seconds, then the gateway's HTML 504 page."""

    def __init__(self, delay: float, services: Services) -> None:
        super().__init__(GATEWAY_TIMEOUT_HTML, 504, media_type="text/html")
        self.delay = delay
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.services.faults.sleep(self.delay)
        await super().__call__(scope, receive, send)


class DroppedConnection(Response):
    """No HTTP answer at all: the connection is reset, closed empty, or fed garbage."""

    def __init__(self, kind: str) -> None:
        super().__init__(b"")
        self.kind = kind

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await drop_connection(scope, receive, self.kind)


async def apply_faults(call: Call, services: Services) -> Response | None:
    """Choose this request's fault (kept on the call) and act on what happens before the body."""
    request, caller = call.request, call.caller
    headers = request.headers
    asked = FAULT_HEADER in headers or SCENARIO_HEADER in headers
    if asked:
        _check_admin_token(headers, services)
    body = await _peek_json(call, services.settings)
    if not asked and services.faults.idle:
        return None  # no header, no rule, no scenario: nothing to choose
    model = body.get("model") if isinstance(body, dict) else None
    try:
        header_plan = parse_fault(headers[FAULT_HEADER]) if FAULT_HEADER in headers else None
        choice = services.faults.choose(FaultRequest(
            request.method, request.url.path, model if isinstance(model, str) else None,
            caller.account.name, headers.get(SESSION_HEADER), header_plan,
            headers.get(SCENARIO_HEADER)))
    except FaultSyntaxError as exc:
        name = "X-Mock-Fault" if FAULT_HEADER in headers else "X-Mock-Scenario"
        raise invalid_request(f"{name}: {exc}") from None
    plan = choice.plan
    if plan is None or plan.is_noop:
        return None
    call.fault, call.fault_source = plan, choice.source
    return await before_body(plan, caller, str(model or ""), services)


async def before_body(plan: FaultPlan, caller: Caller, model: str,
                       services: Services) -> Response | None:
    delay = services.faults.draw_latency(plan)
    if delay:
        await services.faults.sleep(delay)
    if plan.error is not None:
        account = caller.account
        message = render_message(plan.error, org=account.id, ak=caller.key_id, model=model,
                                 proj="proj-" + stable_hex("proj", account.name))
        headers = {"Retry-After": f"{plan.retry_after:g}"} if plan.retry_after else None
        raise MoonshotError(plan.error.type, message, status=plan.error.status, headers=headers)
    if plan.gateway_timeout is not None:
        return GatewayTimeoutResponse(plan.gateway_timeout, services)
    if plan.connection is not None:
        return DroppedConnection(plan.connection)
    return None


def _check_admin_token(headers: Headers, services: Services) -> None:
    """A request that asks for a fault must carry the admin token when the fake has one."""
    token = services.settings.admin_token
    if token and headers.get(ADMIN_TOKEN_HEADER) != token:
        raise MoonshotError("invalid_authentication_error",
                            "X-Mock-Fault and X-Mock-Scenario need X-Mock-Admin-Token "
                            "when the fake runs with an admin token")


async def _peek_json(call: Call, settings: Settings) -> Any:
    """The JSON body if there is one (parsed once: the later validation reuses it)."""
    if media_type(call.request) != "application/json":
        return None
    try:
        return await call.json(settings.request_max_bytes, settings.json_max_depth)
    except orjson.JSONDecodeError:
        return None


def stream_with_faults(call: Call, events: AsyncIterator[bytes],
                       services: Services) -> AsyncIterator[bytes]:
    """The SSE events of this request, with its stream faults applied and counted."""
    record = call.stream = StreamRecord()
    plan = call.fault
    if plan is None or not plan.has_stream_faults:
        return recorded_events(events, record)
    scope = call.request.scope
    return faulty_events(events, plan, services.faults.sleep, lambda: cut_stream(scope), record)
