"""The control plane under `/_mock/` (never under `/v1`): faults, scenarios, scripted replies,
clock, journal, reset.

With `admin_token` set, every call needs `Authorization: Bearer <token>` or
`X-Mock-Admin-Token: <token>`; without it the answer is a 401 in the Moonshot envelope.
Errors leave as `MoonshotError`s like everywhere else.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router

from mock_server.clock import VirtualClock
from mock_server.engine.gate import SESSION_HEADER
from mock_server.errors import MoonshotError, invalid_request
from mock_server.faults.dsl import FaultSyntaxError
from mock_server.faults.rules import parse_rule
from mock_server.http.responses import JSON_MEDIA_TYPE, json_response
from mock_server.replies.rules import ReplySyntaxError

if TYPE_CHECKING:
    from mock_server.services import Services

AdminHandler = Callable[[Request, "Services"], Awaitable[Response]]


def _check_token(request: Request, services: Services) -> None:
    token = services.settings.admin_token
    if not token:
        return
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    if token not in (bearer, request.headers.get("x-mock-admin-token")):
        raise MoonshotError("invalid_authentication_error",
                            "The control plane needs the admin token "
                            "(Authorization: Bearer <token> or X-Mock-Admin-Token)")


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"the request body is not valid JSON ({exc})") from None
    if not isinstance(body, dict):
        raise invalid_request("the request body must be a JSON object")
    return body


def _listing(data: list[Any]) -> Response:
    return json_response({"object": "list", "data": data})


async def list_faults(request: Request, services: Services) -> Response:
    return _listing(services.faults.rules())


async def add_fault(request: Request, services: Services) -> Response:
    try:
        rule = parse_rule(await _json_object(request))
    except FaultSyntaxError as exc:
        raise invalid_request(str(exc)) from None
    return json_response(services.faults.add_rule(rule), 201)


async def clear_faults(request: Request, services: Services) -> Response:
    services.faults.clear()
    return json_response({"deleted": True})


async def delete_fault(request: Request, services: Services) -> Response:
    rule_id = request.path_params["rule_id"]
    if not services.faults.remove_rule(rule_id):
        raise MoonshotError("resource_not_found_error", f"fault rule {rule_id} not found")
    return json_response({"deleted": True, "id": rule_id})


async def list_scenarios(request: Request, services: Services) -> Response:
    return _listing(services.faults.scenarios())


async def set_scenario(request: Request, services: Services) -> Response:
    body = await _json_object(request)
    key, steps = body.get("key"), body.get("steps")
    if not isinstance(key, str) or not key or not isinstance(steps, str):
        raise invalid_request("a scenario needs 'key' (session id or account) and 'steps'")
    try:
        return json_response(services.faults.set_scenario(key, steps), 201)
    except FaultSyntaxError as exc:
        raise invalid_request(str(exc)) from None


async def clear_scenarios(request: Request, services: Services) -> Response:
    services.faults.clear_scenarios()
    return json_response({"deleted": True})


async def list_replies(request: Request, services: Services) -> Response:
    return _listing(services.replies.rules())


async def add_reply(request: Request, services: Services) -> Response:
    """A reply rule; sent with `X-Mock-Session`, it answers only that session's requests."""
    try:
        rule = services.replies.add(await _json_object(request), "control",
                                    request.headers.get(SESSION_HEADER))
    except ReplySyntaxError as exc:
        raise invalid_request(f"reply rule: {exc}") from None
    return json_response(rule, 201)


async def clear_replies(request: Request, services: Services) -> Response:
    services.replies.clear()
    return json_response({"deleted": True})


async def delete_reply(request: Request, services: Services) -> Response:
    rule_id = request.path_params["rule_id"]
    if not services.replies.remove(rule_id):
        raise MoonshotError("resource_not_found_error", f"reply rule {rule_id} not found")
    return json_response({"deleted": True, "id": rule_id})


async def replies_used(request: Request, services: Services) -> Response:
    return _listing(services.replies.used())


async def reset(request: Request, services: Services) -> Response:
    services.reset()
    return json_response({"reset": True})


async def get_clock(request: Request, services: Services) -> Response:
    kind = "virtual" if isinstance(services.clock, VirtualClock) else "real"
    return json_response({"now": services.clock.now(), "kind": kind})


async def move_clock(request: Request, services: Services) -> Response:
    clock = services.clock
    if not isinstance(clock, VirtualClock):
        raise invalid_request("the clock is real; start the fake with clock: virtual to move it")
    body = await _json_object(request)
    try:
        if "set" in body:
            clock.set(float(body["set"]))
        else:
            clock.advance(float(body.get("advance", 0)))
    except (TypeError, ValueError) as exc:
        raise invalid_request(f"clock: {exc}") from None
    return json_response({"now": clock.now(), "kind": "virtual"})


async def read_journal(request: Request, services: Services) -> Response:
    query = request.query_params
    try:
        status = int(query["status"]) if "status" in query else None
        limit = int(query["limit"]) if "limit" in query else None
    except ValueError:
        raise invalid_request("journal: status and limit must be whole numbers") from None
    return _listing(services.journal.entries(query.get("path"), status, limit))


async def export_journal(request: Request, services: Services) -> Response:
    return Response(services.journal.export(), media_type=JSON_MEDIA_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="journal.json"'})


async def clear_journal(request: Request, services: Services) -> Response:
    services.journal.clear()
    return json_response({"deleted": True})


ROUTES: tuple[tuple[str, str, AdminHandler], ...] = (
    ("/faults", "GET", list_faults),
    ("/faults", "POST", add_fault),
    ("/faults", "DELETE", clear_faults),
    ("/faults/{rule_id}", "DELETE", delete_fault),
    ("/scenarios", "GET", list_scenarios),
    ("/scenarios", "POST", set_scenario),
    ("/scenarios", "DELETE", clear_scenarios),
    ("/replies", "GET", list_replies),
    ("/replies", "POST", add_reply),
    ("/replies", "DELETE", clear_replies),
    ("/replies/used", "GET", replies_used),
    ("/replies/{rule_id}", "DELETE", delete_reply),
    ("/reset", "POST", reset),
    ("/clock", "GET", get_clock),
    ("/clock", "POST", move_clock),
    ("/journal", "GET", read_journal),
    ("/journal", "DELETE", clear_journal),
    ("/journal/export", "GET", export_journal),
)


def _endpoint(handler: AdminHandler, services: Services) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        _check_token(request, services)
        return await handler(request, services)

    return endpoint


def admin_mount(services: Services) -> BaseRoute:
    """All control-plane routes, mounted at `/_mock`."""
    paths: dict[str, list[tuple[str, AdminHandler]]] = {}
    for path, method, handler in ROUTES:
        paths.setdefault(path, []).append((method, handler))
    routes = [Route(path, _dispatch(dict(handlers), services), methods=[m for m, _ in handlers])
              for path, handlers in paths.items()]
    return Mount("/_mock", app=Router(routes=routes, redirect_slashes=False))


def _dispatch(handlers: dict[str, AdminHandler],
              services: Services) -> Callable[[Request], Awaitable[Response]]:
    endpoints = {method: _endpoint(h, services) for method, h in handlers.items()}

    async def endpoint(request: Request) -> Response:
        return await (endpoints.get(request.method) or endpoints["GET"])(request)

    return endpoint
