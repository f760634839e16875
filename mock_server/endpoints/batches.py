"""`/v1/batches`: create, list, retrieve and cancel; each call first takes the steps that are
due for the batches it answers about (see `batch_steps`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread

from mock_server.accounts.billing import insufficient_balance
from mock_server.batches.records import BatchRecord
from mock_server.batches.validate import window_seconds
from mock_server.endpoints.batch_steps import cancel_sync, step, step_account
from mock_server.errors import MoonshotError, invalid_request
from mock_server.http.call import HttpCall
from mock_server.http.responses import json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services

LIST_DEFAULT, LIST_MAX = 20, 100
METADATA_KEY_MAX = 64


def wrong_purpose(file_id: str, purpose: str) -> MoonshotError:
    return invalid_request(f"the input file {file_id} must be uploaded with purpose 'batch', "
                           f"its purpose is {purpose!r}")


async def create_batch(call: HttpCall, services: Services) -> Response:
    body, caller = call.body, call.caller
    account = caller.account
    window = body["completion_window"]
    seconds = window_seconds(window)
    stored = services.files.get(account.name, body["input_file_id"])
    if stored.purpose != "batch":
        raise wrong_purpose(stored.id, stored.purpose)
    metadata = body.get("metadata")
    for key in metadata or ():
        if len(key) > METADATA_KEY_MAX:
            raise invalid_request(f"metadata keys must be at most {METADATA_KEY_MAX} characters, "
                                  f"got {key!r}")
    if (await services.admission.balance(account)).available <= 0:
        raise insufficient_balance(account.id, caller.key_id)
    now = services.clock.now()
    record = BatchRecord(id=services.ids.batch_id(int(now)), account=account.name,
                         input_file_id=stored.id, completion_window=window, created=now,
                         expires_at=int(now) + seconds, endpoint=body["endpoint"],
                         metadata=metadata)
    services.batches.add(record)
    return json_response(record.wire())


async def retrieve_batch(call: HttpCall, services: Services) -> Response:
    record = services.batches.get(call.caller.account.name, call.request.path_params["batch_id"])
    return json_response((await step(services, record)).wire())


async def list_batches(call: HttpCall, services: Services) -> Response:
    account = call.caller.account.name
    await step_account(services, account)
    query = call.request.query_params
    limit = page_size(query.get("limit"))
    records = services.batches.list(account)
    after = query.get("after")
    if after is not None:
        ids = [r.id for r in records]
        records = records[ids.index(after) + 1:] if after in ids else []
    page = records[:limit]
    return json_response({"object": "list", "data": [r.wire() for r in page],
                          "has_more": len(records) > limit})


def page_size(raw: str | None) -> int:
    if raw is None:
        return LIST_DEFAULT
    try:
        limit = int(raw)
    except ValueError:
        raise invalid_request(f"limit must be an integer between 1 and {LIST_MAX}, "
                              f"got {raw!r}") from None
    if not 1 <= limit <= LIST_MAX:
        raise invalid_request(f"limit must be an integer between 1 and {LIST_MAX}, got {raw!r}")
    return limit


async def cancel_batch(call: HttpCall, services: Services) -> Response:
    record = services.batches.get(call.caller.account.name, call.request.path_params["batch_id"])
    record = await step(services, record)
    record = await anyio.to_thread.run_sync(cancel_sync, services, record)
    return json_response(record.wire())
