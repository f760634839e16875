"""Handlers by operationId: one module per resource."""

from __future__ import annotations

from collections.abc import Mapping

from mock_server.endpoints import billing, chat, files, models, tokens
from mock_server.pipeline import Handler

HANDLERS: Mapping[str, Handler] = {
    "createChatCompletion": chat.create_chat_completion,
    "listModels": models.list_models,
    "uploadFile": files.upload_file,
    "listFiles": files.list_files,
    "retrieveFile": files.retrieve_file,
    "deleteFile": files.delete_file,
    "retrieveFileContent": files.retrieve_file_content,
    "estimateTokenCount": tokens.estimate_token_count,
    "getBalance": billing.get_balance,
}
