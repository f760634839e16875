"""`POST /v1/tools/search`, `/v1/tools/search_pro` and `/v1/tools/fetch`: the official web
tools. A call needs some balance left (the era's insufficient-balance refusal otherwise), and
is billed once when it succeeds with a non-empty answer; an empty or failed call is free.
The results come from `tools/` (seeded, or scripted by the test)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.accounts.billing import to_nano
from mock_server.http.call import HttpCall as Call
from mock_server.http.responses import json_response
from mock_server.tools.pages import fetched
from mock_server.tools.scripted import search_view
from mock_server.tools.search import search_pro_results, search_results

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services


async def _paid(call: Call, services: Services, tool: str, answer: dict[str, Any],
                found: bool) -> Response:
    """The answer, billed at the tool's price when it found something."""
    if found:
        price = services.api().tool_prices.get(tool, 0.0)
        await services.admission.charge(call.caller.account, to_nano(price))
    return json_response(answer)


async def search_web(call: Call, services: Services) -> Response:
    await services.admission.ensure_funds(call.caller, services.api().texts)
    results = search_results(call.body, services.settings.seed,
                             search_view(services.web_script, pro=False))
    return await _paid(call, services, "search", {"search_results": results}, bool(results))


async def search_web_pro(call: Call, services: Services) -> Response:
    await services.admission.ensure_funds(call.caller, services.api().texts)
    results = search_pro_results(call.body, services.settings.seed,
                                 search_view(services.web_script, pro=True))
    return await _paid(call, services, "search_pro", {"search_results": results}, bool(results))


async def fetch_url(call: Call, services: Services) -> Response:
    await services.admission.ensure_funds(call.caller, services.api().texts)
    url = call.body["url"]
    page = services.web_script.pages.get(url) or fetched(services.settings.seed, url)
    return await _paid(call, services, "fetch", page, bool(page["markdown"]))
