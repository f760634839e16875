"""`/v1/files`: upload (streamed), list, retrieve, delete, and the extracted content."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio.to_thread

from mock_server.files import listing, service
from mock_server.files.limits import ExtractLimits, FileLimits
from mock_server.http.call import HttpCall
from mock_server.http.responses import JSON_MEDIA_TYPE, bytes_response, chunked_response, json_response

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.services import Services

WHOLE_BODY_BYTES = 1024 * 1024  # content up to this size is sent whole, with Content-Length


def desk(services: Services) -> service.FileDesk:
    settings = services.settings
    return service.FileDesk(services.files, FileLimits.from_settings(settings),
                            services.clock, services.ids, ExtractLimits.from_settings(settings))


async def upload_file(call: HttpCall, services: Services) -> Response:
    record = await service.upload(desk(services), call.caller.account.name,
                                  call.request.headers.get("content-type", ""),
                                  call.body_chunks())
    return json_response(record.wire())


async def list_files(call: HttpCall, services: Services) -> Response:
    records = await anyio.to_thread.run_sync(services.files.list, call.caller.account.name)
    records = listing.listed(records, call.request.query_params)
    return json_response({"object": "list", "data": [r.wire() for r in records]})


async def retrieve_file(call: HttpCall, services: Services) -> Response:
    file_id = call.request.path_params["file_id"]
    return json_response(services.files.get(call.caller.account.name, file_id).wire())


async def delete_file(call: HttpCall, services: Services) -> Response:
    file_id = call.request.path_params["file_id"]
    await anyio.to_thread.run_sync(services.files.delete, call.caller.account.name, file_id)
    return json_response({"id": file_id, "object": "file", "deleted": True})


async def retrieve_file_content(call: HttpCall, services: Services) -> Response:
    account, file_id = call.caller.account.name, call.request.path_params["file_id"]
    record = services.files.get(account, file_id)
    if record.purpose != "file-extract":  # image / video / batch: the bytes as uploaded
        chunks = service.raw_chunks(services.files.open(account, file_id))
        media_type = "application/octet-stream"
    elif record.status != "ok":
        raise service.extraction_failed(record)
    else:
        chunks = service.content_chunks(record, services.files.open(account, file_id, text=True))
        media_type = JSON_MEDIA_TYPE
    if record.bytes <= WHOLE_BODY_BYTES:
        body = await anyio.to_thread.run_sync(lambda: b"".join(chunks))
        return bytes_response(body, media_type)
    return chunked_response(chunks, media_type)
