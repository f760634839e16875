"""Handlers by operationId for the operations that are not inference doors, one module per
resource (the inference operations are answered by `doors.DOORS` through the engine)."""

from __future__ import annotations

from collections.abc import Mapping

from mock_server.endpoints import (
    batches,
    billing,
    caching,
    files,
    formulas,
    models,
    signatures,
    tokens,
    web_tools,
)
from mock_server.http.pipeline import Handler

HANDLERS: Mapping[str, Handler] = {
    "listModels": models.list_models,
    "uploadFile": files.upload_file,
    "listFiles": files.list_files,
    "retrieveFile": files.retrieve_file,
    "deleteFile": files.delete_file,
    "retrieveFileContent": files.retrieve_file_content,
    "estimateTokenCount": tokens.estimate_token_count,
    "getBalance": billing.get_balance,
    "verifyRequestSignature": signatures.verify_request_signature,
    "searchWeb": web_tools.search_web,
    "searchWebPro": web_tools.search_web_pro,
    "fetchUrl": web_tools.fetch_url,
    "listFormulaTools": formulas.list_formula_tools,
    "createFiber": formulas.create_fiber,
    "createBatch": batches.create_batch,
    "listBatches": batches.list_batches,
    "retrieveBatch": batches.retrieve_batch,
    "cancelBatch": batches.cancel_batch,
    "createContextCache": caching.create_cache,
    "listContextCaches": caching.list_caches,
    "retrieveContextCache": caching.retrieve_cache,
    "updateContextCache": caching.update_cache,
    "deleteContextCache": caching.delete_cache,
    "createContextCacheTag": caching.create_cache_tag,
    "listContextCacheTags": caching.list_cache_tags,
    "retrieveContextCacheTag": caching.retrieve_cache_tag,
    "retrieveContextCacheTagContent": caching.retrieve_cache_tag_content,
    "deleteContextCacheTag": caching.delete_cache_tag,
}
