from __future__ import annotations

import mimetypes

from starlette.datastructures import UploadFile
from starlette.responses import Response

from mock_server.errors import MoonshotError, invalid_request, json_response
from mock_server.files import PURPOSES, StoredFile, extracted_content
from mock_server.pipeline import Call
from mock_server.services import Services


async def upload_file(call: Call, services: Services) -> Response:
    media_type = call.request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "multipart/form-data":
        raise invalid_request("the body must be multipart/form-data with fields file and purpose")
    try:
        form = await call.request.form()
    except Exception as exc:  # python-multipart raises several types for a broken body
        raise invalid_request(f"the multipart body cannot be parsed ({exc})") from None
    upload, purpose = form.get("file"), form.get("purpose")
    if not isinstance(upload, UploadFile):
        raise invalid_request("the multipart field 'file' is required")
    if purpose not in PURPOSES:
        raise invalid_request(f"invalid purpose {purpose!r}: one of {', '.join(PURPOSES)}")
    data = await upload.read()
    if not data:
        raise MoonshotError("invalid_request_error",
                            "File size is zero, please confirm and re-upload the file")
    created_at = int(services.clock.now())
    stored = services.files.add(StoredFile(
        id=services.ids.file_id(created_at), account=call.caller.account.name,
        filename=upload.filename or "upload", purpose=str(purpose), created_at=created_at,
        data=data))
    return json_response(stored.listing())


async def list_files(call: Call, services: Services) -> Response:
    files = services.files.list(call.caller.account.name)
    return json_response({"object": "list", "data": [f.listing() for f in files]})


async def retrieve_file(call: Call, services: Services) -> Response:
    file_id = call.request.path_params["file_id"]
    return json_response(services.files.get(call.caller.account.name, file_id).listing())


async def delete_file(call: Call, services: Services) -> Response:
    file_id = call.request.path_params["file_id"]
    services.files.delete(call.caller.account.name, file_id)
    return json_response({"id": file_id, "object": "file", "deleted": True})


async def retrieve_file_content(call: Call, services: Services) -> Response:
    stored = services.files.get(call.caller.account.name, call.request.path_params["file_id"])
    mime = mimetypes.guess_type(stored.filename)[0] or "text/plain"
    return json_response(extracted_content(stored, mime))
