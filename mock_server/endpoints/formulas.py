"""The Formula API: `GET /v1/formulas/{namespace}/{formula}/tools` (a formula's function
declarations) and `POST /v1/formulas/{namespace}/{formula}/fibers` (run one function, answer
the fiber). The official tools are free for now, except web search, billed once per successful
run at the WebSearch price (reference §17.6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.accounts.billing import to_nano
from mock_server.accounts.limits import project_id
from mock_server.http.call import HttpCall as Call
from mock_server.http.responses import json_response
from mock_server.tools.fibers import FiberContext, run_fiber
from mock_server.tools.formulas import Formula, formula

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services

BILLED = {"web_search": "search"}  # a formula's runner -> the web tool whose price it pays


def _formula(call: Call) -> Formula:
    params = call.request.path_params
    return formula(params["namespace"], params["formula"])


async def list_formula_tools(call: Call, services: Services) -> Response:
    return json_response(_formula(call).tools())


async def create_fiber(call: Call, services: Services) -> Response:
    found = _formula(call)
    account = call.caller.account
    billed = BILLED.get(found.run)
    if billed is not None:
        await services.admission.ensure_funds(call.caller, services.api().texts)
    now = services.clock.now()
    memory = services.formula_memory.setdefault(account.name, {})
    status, context = run_fiber(found, call.body, FiberContext(services.settings.seed, now, memory))
    if billed is not None and status == "succeeded":
        price = services.api().tool_prices.get(billed, 0.0)
        await services.admission.charge(account, to_nano(price))
    return json_response({
        "id": services.ids.fiber_id(), "object": "fiber", "created_at": int(now),
        "lambda_id": found.lambda_id, "status": status, "context": context,
        "formula": found.uri, "organization_id": account.id, "project_id": project_id(account.name),
    })
