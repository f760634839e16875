"""The control plane under `/_mock/` (never under `/v1`): faults, scenarios, scripted replies,
scripted web results, clock, journal, reset.

Each route is HTTP glue over one method of the app's `control.Control`, which the pytest
handle shares. With `admin_token` set, every call needs `Authorization: Bearer <token>` or
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

from mock_server.engine.gate import SESSION_HEADER
from mock_server.errors import MoonshotError, invalid_request
from mock_server.http.admin_web import add_web_results, clear_web_results, list_web_results
from mock_server.http.responses import JSON_MEDIA_TYPE, json_response

if TYPE_CHECKING:
    from mock_server.control import Control

AdminHandler = Callable[[Request, "Control"], Awaitable[Response]]


def _check_token(request: Request, token: str | None) -> None:
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


def _deleted(rule_id: str | None = None) -> Response:
    return json_response({"deleted": True} if rule_id is None else {"deleted": True, "id": rule_id})


async def list_faults(request: Request, control: Control) -> Response:
    return _listing(control.faults())


async def add_fault(request: Request, control: Control) -> Response:
    return json_response(control.add_fault(await _json_object(request)), 201)


async def clear_faults(request: Request, control: Control) -> Response:
    control.clear_faults()
    return _deleted()


async def delete_fault(request: Request, control: Control) -> Response:
    control.remove_fault(request.path_params["rule_id"])
    return _deleted(request.path_params["rule_id"])


async def list_scenarios(request: Request, control: Control) -> Response:
    return _listing(control.scenarios())


async def set_scenario(request: Request, control: Control) -> Response:
    body = await _json_object(request)
    key, steps = body.get("key"), body.get("steps")
    if not isinstance(key, str) or not key or not isinstance(steps, str):
        raise invalid_request("a scenario needs 'key' (session id or account) and 'steps'")
    return json_response(control.set_scenario(key, steps), 201)


async def clear_scenarios(request: Request, control: Control) -> Response:
    control.clear_scenarios()
    return _deleted()


async def list_replies(request: Request, control: Control) -> Response:
    return _listing(control.replies())


async def add_reply(request: Request, control: Control) -> Response:
    """A reply rule; sent with `X-Mock-Session`, it answers only that session's requests."""
    rule = control.add_reply(await _json_object(request), "control",
                             request.headers.get(SESSION_HEADER))
    return json_response(rule, 201)


async def clear_replies(request: Request, control: Control) -> Response:
    control.clear_replies()
    return _deleted()


async def delete_reply(request: Request, control: Control) -> Response:
    control.remove_reply(request.path_params["rule_id"])
    return _deleted(request.path_params["rule_id"])


async def replies_used(request: Request, control: Control) -> Response:
    return _listing(control.replies_used())


async def reset(request: Request, control: Control) -> Response:
    control.reset()
    return json_response({"reset": True})


async def get_clock(request: Request, control: Control) -> Response:
    return json_response(control.clock())


async def move_clock(request: Request, control: Control) -> Response:
    control.move_clock()  # a real clock is refused before the body is read
    body = await _json_object(request)
    try:
        if "set" in body:
            return json_response(control.move_clock(to=float(body["set"])))
        return json_response(control.move_clock(advance=float(body.get("advance", 0))))
    except (TypeError, ValueError) as exc:
        raise invalid_request(f"clock: {exc}") from None


async def read_journal(request: Request, control: Control) -> Response:
    query = request.query_params
    try:
        status = int(query["status"]) if "status" in query else None
        limit = int(query["limit"]) if "limit" in query else None
    except ValueError:
        raise invalid_request("journal: status and limit must be whole numbers") from None
    return _listing(control.journal(query.get("path"), status, limit))


async def export_journal(request: Request, control: Control) -> Response:
    return Response(control.export_journal(), media_type=JSON_MEDIA_TYPE,
                    headers={"Content-Disposition": 'attachment; filename="journal.json"'})


async def clear_journal(request: Request, control: Control) -> Response:
    control.clear_journal()
    return _deleted()


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
    ("/web_results", "GET", list_web_results),
    ("/web_results", "POST", add_web_results),
    ("/web_results", "DELETE", clear_web_results),
    ("/reset", "POST", reset),
    ("/clock", "GET", get_clock),
    ("/clock", "POST", move_clock),
    ("/journal", "GET", read_journal),
    ("/journal", "DELETE", clear_journal),
    ("/journal/export", "GET", export_journal),
)


def _endpoint(handler: AdminHandler, control: Control,
              token: str | None) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        _check_token(request, token)
        return await handler(request, control)

    return endpoint


def admin_mount(control: Control, token: str | None) -> BaseRoute:
    """All control-plane routes, mounted at `/_mock` (locked by the admin `token` when set)."""
    paths: dict[str, list[tuple[str, AdminHandler]]] = {}
    for path, method, handler in ROUTES:
        paths.setdefault(path, []).append((method, handler))
    routes = [Route(path, _dispatch(dict(handlers), control, token), methods=[m for m, _ in handlers])
              for path, handlers in paths.items()]
    return Mount("/_mock", app=Router(routes=routes, redirect_slashes=False))


def _dispatch(handlers: dict[str, AdminHandler], control: Control,
              token: str | None) -> Callable[[Request], Awaitable[Response]]:
    endpoints = {method: _endpoint(h, control, token) for method, h in handlers.items()}

    async def endpoint(request: Request) -> Response:
        return await (endpoints.get(request.method) or endpoints["GET"])(request)

    return endpoint
