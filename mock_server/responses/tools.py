"""The Responses door's tools: declared on the wire, turned into the chat tools the model reads.

A `function` tool becomes a chat function tool; a `namespace` lends its name to each of its
tools; the `custom` tool `apply_patch` becomes a function taking the patch text; `web_search`
is run by the server, so it is no chat tool at all (the door keeps that it was declared).
`ToolIndex` remembers how each chat tool's name reads on the wire, so a call the model makes
renders back as the item the client declared (`function_call` with its `namespace`, or
`custom_tool_call`). The refusals the platform documents or was seen to answer are here,
worded as observed (`tools.0.defer_loading is not supported`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mock_server.errors import MoonshotError, invalid_request

Tool = Mapping[str, Any]
PATCH_FIELD = "patch"  # the one argument of apply_patch as the model's function
REFUSED_EVERYWHERE = ("defer_loading",)
REFUSED_WEB_SEARCH = ("search_context_size", "blocked_domains")
_CHAT_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_-]{2,63}\Z")


@dataclass(frozen=True)
class ToolRef:
    """How a chat tool's name reads on the wire."""

    kind: str  # "function" or "custom"
    name: str
    namespace: str | None = None


@dataclass
class ToolIndex:
    """Chat tool name -> wire identity, and the request's `web_search` tool (None: none)."""

    refs: dict[str, ToolRef] = field(default_factory=dict)
    web_search: Tool | None = None

    def wire(self, chat_name: str) -> ToolRef:
        return self.refs.get(chat_name) or ToolRef("function", chat_name)

    def chat_name(self, name: str, namespace: str | None = None) -> str:
        """The chat name of a wire tool (a call replayed in `input`), declared or not."""
        for chat_name, ref in self.refs.items():
            if ref.name == name and ref.namespace == namespace:
                return chat_name
        return _chat_name(name, namespace, set())


def refuse(path: str, option: str) -> MoonshotError:
    """The observed wording: `tools.0.defer_loading is not supported` (no prefix)."""
    return MoonshotError("invalid_request_error", f"{path}.{option} is not supported")


def chat_tools(tools: Sequence[Tool] | None, index: ToolIndex, where: str) -> list[dict[str, Any]]:
    """The chat tools of a list of wire tools (`where`: its dotted path, `tools` or
    `input.3.tools`); refusals raise, names are remembered in `index`."""
    converted: list[dict[str, Any]] = []
    for position, tool in enumerate(tools or ()):
        path = f"{where}.{position}"
        _check_options(tool, path)
        kind = tool["type"]
        if kind == "web_search":
            _declare_web_search(tool, index, path)
        elif kind == "namespace":
            for inner, member in enumerate(tool["tools"]):
                _check_options(member, f"{path}.tools.{inner}")
                converted.append(_one(member, index, f"{path}.tools.{inner}", tool["name"]))
        else:
            converted.append(_one(tool, index, path, None))
    return converted


def _check_options(tool: Tool, path: str) -> None:
    for option in REFUSED_EVERYWHERE:
        if option in tool:
            raise refuse(path, option)
    if tool.get("type") != "web_search":
        return
    for option in REFUSED_WEB_SEARCH:
        if tool.get(option) is not None:
            raise refuse(path, option)
    filters = tool.get("filters")
    if isinstance(filters, Mapping) and filters.get("blocked_domains") is not None:
        raise refuse(path, "filters.blocked_domains")


def _declare_web_search(tool: Tool, index: ToolIndex, path: str) -> None:
    if index.web_search is not None:
        raise invalid_request(f"{path}: only one web_search tool is allowed per request")
    index.web_search = tool


def _one(tool: Tool, index: ToolIndex, path: str, namespace: str | None) -> dict[str, Any]:
    name = str(tool["name"])
    if any(ref.name == name and ref.namespace == namespace for ref in index.refs.values()):
        shown = f"{namespace}.{name}" if namespace else name
        raise invalid_request(f"tool name '{shown}' at {_bracketed(path)}.name is already declared")
    chat_name = _chat_name(name, namespace, set(index.refs))
    index.refs[chat_name] = ToolRef(tool["type"], name, namespace)
    function: dict[str, Any] = {"name": chat_name}
    if tool.get("description"):
        function["description"] = tool["description"]
    if tool["type"] == "custom":
        function["parameters"] = {
            "type": "object", "required": [PATCH_FIELD],
            "properties": {PATCH_FIELD: {"type": "string",
                                         "description": "The patch, in the apply_patch format"}}}
    elif tool.get("parameters") is not None:
        function["parameters"] = tool["parameters"]
    if tool.get("strict") is not None:
        function["strict"] = tool["strict"]
    return {"type": "function", "function": function}


def _chat_name(name: str, namespace: str | None, taken: Iterable[str]) -> str:
    """The wire name where chat takes it as it is; otherwise (a namespace's tool, a name chat's
    rules refuse) a name chat takes, still read from the wire name, made unique."""
    wanted = f"{namespace}__{name}" if namespace else name
    if _CHAT_NAME.match(wanted) and wanted not in taken:
        return wanted
    digest = hashlib.blake2b(wanted.encode(), digest_size=4).hexdigest()
    stem = re.sub(r"[^a-zA-Z0-9_-]", "_", wanted)[:54]  # the wire name starts as chat's may
    return f"{stem}_{digest}"


def _bracketed(path: str) -> str:
    """`tools.0.tools.1` -> `tools[0].tools[1]` (the schema errors' spelling)."""
    return re.sub(r"\.(\d+)", r"[\1]", path)
