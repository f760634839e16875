"""The engine's first steps, taken by every API request: who is calling, and which fault acts.

`enter` authenticates (DESIGN step 2) and chooses the request's fault (step 3): the
`X-Mock-Fault` / `X-Mock-Scenario` headers (which need the admin token when the fake has one),
the scenario steps and the fault rules (`faults.book.FaultBook`). The plan stays on the call,
where the stream step finds its stream faults. `act_before_body` does what a plan does before
the answer: a latency wait, the planned error raised as a `MoonshotError` (the door renders it
in its own envelope), or a `Hangup` — a gateway timeout or a broken connection — that the
door's transport acts out. A call without a connection (a batch line) neither waits nor hangs
up: only the error acts. Faults wait in real time (`FaultBook.sleep`): they exist to exercise
a client's real timeouts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from mock_server.errors import MoonshotError, invalid_request
from mock_server.faults.book import FaultRequest
from mock_server.ids import stable_hex

if TYPE_CHECKING:
    from mock_server.accounts.auth import Caller
    from mock_server.engine.call import Call
    from mock_server.faults.dsl import FaultPlan
    from mock_server.services import Services

FAULT_HEADER = "x-mock-fault"
SCENARIO_HEADER = "x-mock-scenario"
SESSION_HEADER = "x-mock-session"
ADMIN_TOKEN_HEADER = "x-mock-admin-token"


class Hangup(Exception):
    """A planned answer that is not an HTTP answer: `gateway_timeout` (silence for `delay`
    seconds, then the gateway's page) or a connection fault (`reset`, `empty`, `garbage`)."""

    def __init__(self, kind: str, delay: float = 0.0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.delay = delay


async def enter(call: Call, credentials: str | None, services: Services) -> None:
    """Authenticate, then choose and act on this request's fault (raises `MoonshotError` or
    `Hangup`). A caller known already (a batch line's: its batch's account) is not asked again."""
    if call.who is None:
        call.who = services.auth.authenticate(credentials)
    headers = call.headers
    asked = FAULT_HEADER in headers or SCENARIO_HEADER in headers
    if not asked and services.faults.idle:
        return  # no header, no rule, no scenario: nothing to choose
    if asked:
        _check_admin_token(headers, services)
    plan = choose_fault(call, await _peek_json(call, services), services)
    if plan is not None:
        await act_before_body(plan, call, services)


def choose_fault(call: Call, body: Any, services: Services) -> FaultPlan | None:
    """This request's fault (kept on the call), or None; `body` is the parsed JSON, if any."""
    from mock_server.faults.dsl import FaultSyntaxError, parse_fault  # first use: a fault asked

    headers = call.headers
    model = body.get("model") if isinstance(body, dict) else None
    try:
        header_plan = parse_fault(headers[FAULT_HEADER]) if FAULT_HEADER in headers else None
        choice = services.faults.choose(FaultRequest(
            call.method, call.path, model if isinstance(model, str) else None,
            call.caller.account.name, headers.get(SESSION_HEADER), header_plan,
            headers.get(SCENARIO_HEADER)))
    except FaultSyntaxError as exc:
        name = "X-Mock-Fault" if FAULT_HEADER in headers else "X-Mock-Scenario"
        raise invalid_request(f"{name}: {exc}") from None
    plan = choice.plan
    if plan is None or plan.is_noop:
        return None
    call.fault, call.fault_source = plan, choice.source
    return plan


async def act_before_body(plan: FaultPlan, call: Call, services: Services) -> None:
    """Wait, raise the planned error, or hang up; stream faults stay for the answer."""
    connected = call.connected
    delay = services.faults.draw_latency(plan) if connected else 0.0
    if delay:
        await services.faults.sleep(delay)
    if plan.error is not None:
        raise planned_error(plan, call.caller, _model_of(call))
    if not connected:
        return
    if plan.gateway_timeout is not None:
        raise Hangup("gateway_timeout", plan.gateway_timeout)
    if plan.connection is not None:
        raise Hangup(plan.connection)


def planned_error(plan: FaultPlan, caller: Caller, model: str) -> MoonshotError:
    from mock_server.faults.presets import render_message  # on first use: an error fault

    assert plan.error is not None
    account = caller.account
    message = render_message(plan.error, org=account.id, ak=caller.key_id, model=model,
                             proj="proj-" + stable_hex("proj", account.name))
    headers = {"Retry-After": f"{plan.retry_after:g}"} if plan.retry_after else None
    return MoonshotError(plan.error.type, message, status=plan.error.status, headers=headers)


def _model_of(call: Call) -> str:
    body = call.parsed()
    return str(body.get("model") or "") if isinstance(body, dict) else ""


def _check_admin_token(headers: Any, services: Services) -> None:
    """A request that asks for a fault must carry the admin token when the fake has one."""
    token = services.settings.admin_token
    if token and headers.get(ADMIN_TOKEN_HEADER) != token:
        raise MoonshotError("invalid_authentication_error",
                            "X-Mock-Fault and X-Mock-Scenario need X-Mock-Admin-Token "
                            "when the fake runs with an admin token")


async def _peek_json(call: Call, services: Services) -> Any:
    """The JSON body if there is one (parsed once: the later validation reuses it)."""
    if call.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return None
    settings = services.settings
    try:
        return await call.json(settings.request_max_bytes, settings.json_max_depth)
    except orjson.JSONDecodeError:
        return None
