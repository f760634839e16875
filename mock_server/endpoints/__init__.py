"""Handlers by operationId for the operations that are not inference doors, one module per
resource (the inference operations are answered by `doors.DOORS` through the engine).

The table names each handler as `module.function` of this package; `handler` imports its
module on the operation's first request, so a server imports only the resources it is asked
for (a chat completion needs none of them: batches alone bring the offline engine, files their
readers, formulas the time zones).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.responses import Response

    from mock_server.http.call import HttpCall
    from mock_server.http.pipeline import Handler
    from mock_server.services import Services

HANDLERS: Mapping[str, str] = {
    "listModels": "models.list_models",
    "uploadFile": "files.upload_file",
    "listFiles": "files.list_files",
    "retrieveFile": "files.retrieve_file",
    "deleteFile": "files.delete_file",
    "retrieveFileContent": "files.retrieve_file_content",
    "estimateTokenCount": "tokens.estimate_token_count",
    "getBalance": "billing.get_balance",
    "verifyRequestSignature": "signatures.verify_request_signature",
    "searchWeb": "web_tools.search_web",
    "searchWebPro": "web_tools.search_web_pro",
    "fetchUrl": "web_tools.fetch_url",
    "listFormulaTools": "formulas.list_formula_tools",
    "createFiber": "formulas.create_fiber",
    "createBatch": "batches.create_batch",
    "listBatches": "batches.list_batches",
    "retrieveBatch": "batches.retrieve_batch",
    "cancelBatch": "batches.cancel_batch",
    "createContextCache": "caching.create_cache",
    "listContextCaches": "caching.list_caches",
    "retrieveContextCache": "caching.retrieve_cache",
    "updateContextCache": "caching.update_cache",
    "deleteContextCache": "caching.delete_cache",
    "createContextCacheTag": "caching.create_cache_tag",
    "listContextCacheTags": "caching.list_cache_tags",
    "retrieveContextCacheTag": "caching.retrieve_cache_tag",
    "retrieveContextCacheTagContent": "caching.retrieve_cache_tag_content",
    "deleteContextCacheTag": "caching.delete_cache_tag",
}


@cache
def resolve(operation_id: str) -> Handler:
    """The operation's handler function, its module imported."""
    module, _, name = HANDLERS[operation_id].rpartition(".")
    handler: Handler = getattr(import_module(f"{__name__}.{module}"), name)
    return handler


def handler(operation_id: str) -> Handler:
    """The operation's handler, whose module is imported on its first request."""
    if operation_id not in HANDLERS:  # an operation without a handler fails the app's build
        raise KeyError(operation_id)

    async def handle(call: HttpCall, services: Services) -> Response:
        return await resolve(operation_id)(call, services)

    return handle
