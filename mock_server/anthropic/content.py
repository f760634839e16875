"""A Messages conversation as chat turns: what each role's content blocks become.

- a user turn's `tool_result` blocks become `tool` turns (in order, before the rest of the
  turn), its `text` and `image` blocks one user turn of content parts;
- an assistant turn's `thinking` blocks become its `reasoning_content`, `text` its content and
  `tool_use` its `tool_calls` (the input as JSON text);
- an image is a base64 data URL or an `ms://<file_id>` reference, as chat takes images.

Errors name the field as the client wrote it (`messages[1].content[0].source.url`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson

from mock_server.errors import invalid_request

Block = Mapping[str, Any]
Turn = dict[str, Any]
Verify = Callable[[str, str], bool]  # (thinking, signature) -> whether the API signed it


def chat_turns(messages: list[Mapping[str, Any]], verify: Verify) -> list[Turn]:
    turns: list[Turn] = []
    for index, message in enumerate(messages):
        content = message["content"]
        if message["role"] == "assistant":
            turns.append(_assistant(content, f"messages[{index}].content", verify))
        elif isinstance(content, str):
            turns.append({"role": "user", "content": content})
        else:
            turns.extend(_user(content, f"messages[{index}].content"))
    return turns


def _user(blocks: list[Block], where: str) -> list[Turn]:
    results = [_tool_result(block, f"{where}[{position}]")
               for position, block in enumerate(blocks) if block["type"] == "tool_result"]
    parts = [_part(block, f"{where}[{position}]")
             for position, block in enumerate(blocks) if block["type"] != "tool_result"]
    if parts or not results:
        results.append({"role": "user", "content": parts})
    return results


def _part(block: Block, where: str) -> dict[str, Any]:
    kind = block["type"]
    if kind == "text":
        return {"type": "text", "text": block["text"]}
    if kind == "image":
        return {"type": "image_url", "image_url": {"url": image_url(block["source"], where)}}
    raise invalid_request(f"{where}.type {kind} is not allowed in a user message")


def image_url(source: Mapping[str, Any], where: str) -> str:
    if source["type"] == "base64":
        for field in ("media_type", "data"):
            if not source.get(field):
                raise invalid_request(f"{where}.source.{field} is required when source.type is base64")
        return f"data:{source['media_type']};base64,{source['data']}"
    url = source.get("url")
    if not isinstance(url, str) or not url.startswith("ms://") or url == "ms://":
        raise invalid_request(f"{where}.source.url must be ms://<file_id> when source.type is url")
    return url


def _tool_result(block: Block, where: str) -> Turn:
    content = block["content"]
    if not isinstance(content, str):
        parts = [_part(item, f"{where}.content[{position}]") for position, item in enumerate(content)]
        texts = [part["text"] for part in parts if part["type"] == "text"]
        content = "\n".join(texts) if len(texts) == len(parts) else parts
    return {"role": "tool", "tool_call_id": block["tool_use_id"], "content": content}


def _assistant(content: str | list[Block], where: str, verify: Verify) -> Turn:
    if isinstance(content, str):
        return {"role": "assistant", "content": content}
    reasoning: list[str] = []
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for position, block in enumerate(content):
        kind = block["type"]
        if kind == "thinking":
            _check_signature(block, f"{where}[{position}]", verify)
            reasoning.append(block["thinking"])
        elif kind == "text":
            texts.append(block["text"])
        elif kind == "tool_use":
            arguments = orjson.dumps(block["input"]).decode()
            calls.append({"id": block["id"], "type": "function",
                          "function": {"name": block["name"], "arguments": arguments}})
        else:
            raise invalid_request(f"{where}[{position}].type {kind} is not allowed in an assistant message")
    turn: Turn = {"role": "assistant", "content": "".join(texts)}
    if reasoning:
        turn["reasoning_content"] = "".join(reasoning)
    if calls:
        turn["tool_calls"] = calls
    return turn


def _check_signature(block: Block, where: str, verify: Verify) -> None:
    signature = block.get("signature")
    if signature is not None and not verify(block["thinking"], signature):
        raise invalid_request(f"{where}.signature does not match its thinking: pass thinking "
                              "blocks back unchanged, with the signature they came with")
