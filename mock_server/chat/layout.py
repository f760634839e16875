"""A chat request as the model's prompt: the texts it contains and the tokens around them.

The published Kimi chat templates (see the README of the Kimi K2 tokenizer data): each message
is `<|im_{role}|>{name or role}<|im_middle|>{content}<|im_end|>`; declared tools one leading
`<|im_system|>tool_declare<|im_middle|>{tools}<|im_end|>` turn; a tool result is a system turn
named after the tool whose content opens with `## Return of {tool_call_id}\\n`; assistant tool
calls follow the content inside `<|tool_calls_section_begin|>…<|tool_calls_section_end|>`, each
`<|tool_call_begin|>{id}<|tool_call_argument_begin|>{arguments}<|tool_call_end|>`; the answer
opens with `<|im_assistant|>assistant<|im_middle|>`. Special tokens split the text, so a prompt's
count is the count of each text between them plus one per special token.

A `Layout` is what differs between model families; `render` collects a request's texts in
`Prompt.texts` and its special and media tokens in `Prompt.fixed`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.chat.tool_render import tools_json, tools_typescript
from mock_server.media import data_url, is_animated

Body = Mapping[str, Any]
IMAGE_TOKENS = 1024  # "each image consumes a fixed number of 1024 tokens" (moonshot-v1 vision)
VIDEO_TOKENS = 4096  # not documented: dynamic in the real API; a fixed stand-in here
TURN = 3  # <|im_{role}|>, <|im_middle|>, <|im_end|> (the role or name is text)
GENERATION_PROMPT = 2  # <|im_assistant|>assistant<|im_middle|>: two specials and "assistant"
# response_format json_schema is rendered into the prompt as a system turn: the instruction
# below (the fake's own wording) and the schema's compact JSON. With the Kimi vocabulary the
# vendor-conformance suite's kimi-k3 case (a one-property schema) costs 83 tokens, its
# groundtruth (36 without, 119 with, MoonshotAI/Kimi-Vendor-Verifier k3_features, 2026-07).
SCHEMA_INSTRUCTION = (
    "Respond with a single JSON value and nothing else: no explanation, no Markdown code fence, no "
    "text before or after it. The value must validate against the JSON Schema below: every "
    "required property is present, no undeclared property appears, and double quotes for keys "
    "and strings.\n")
# the kimi-k3 effort turn (the fake's wording; 1 + 3 + 6 tokens, which with the generation
# prompt gives the suite's 36 for a one-message request)
EFFORT_TEXT = "Reasoning effort: {effort}."


@dataclass(frozen=True)
class Layout:
    name: str
    render_tools: Callable[[Sequence[Any]], str]
    thinking_blocks: bool = False  # assistant turns open with <think>{reasoning}</think>
    thinking_prompt: bool = False  # the answer opens with <think> (thinking) or <think></think>
    effort_turn: bool = False  # a system turn states the reasoning effort (kimi-k3)


LAYOUTS = {layout.name: layout for layout in (
    Layout("k2", tools_json),
    Layout("k2-thinking", tools_json, thinking_blocks=True),
    Layout("k2.5", tools_typescript, thinking_blocks=True, thinking_prompt=True),
    Layout("k3", tools_typescript, thinking_blocks=True, thinking_prompt=True, effort_turn=True),
)}


@dataclass
class Prompt:
    texts: list[str] = field(default_factory=list)
    fixed: int = 0  # special and media tokens


def layout_named(name: str) -> Layout:
    return LAYOUTS.get(name) or LAYOUTS["k2"]


def render_estimate(body: Body, layout: Layout) -> Prompt:
    """What `estimate-token-count` counts: the declared tools and the messages."""
    prompt = Prompt()
    if body.get("tools"):
        declare(body["tools"], layout, prompt)
    messages = body["messages"]
    keep_from = _reasoning_kept_from(messages, body)
    for index, message in enumerate(messages):
        _message(message, layout, index >= keep_from, prompt)
    return prompt


def render_chat_extras(body: Body, layout: Layout, thinking: bool, prompt: Prompt) -> Prompt:
    """What a chat adds to the estimate: a rendered response_format, the effort turn, and the
    generation prompt."""
    response_format = body.get("response_format")
    # `x and isinstance(x, Mapping)`: an absent field is None, which the ABC check is slow to refuse
    schema = response_format.get("json_schema") if response_format and \
        isinstance(response_format, Mapping) and response_format.get("type") == "json_schema" else None
    if schema and isinstance(schema, Mapping) and "schema" in schema:
        prompt.texts += ["system", SCHEMA_INSTRUCTION + orjson.dumps(schema["schema"]).decode()]
        prompt.fixed += TURN
    if layout.effort_turn:
        prompt.texts += ["system", EFFORT_TEXT.format(effort=_effort(body))]
        prompt.fixed += TURN
    prompt.texts.append("assistant")
    prompt.fixed += GENERATION_PROMPT + (0 if not layout.thinking_prompt else 1 if thinking else 2)
    return prompt


def declare(tools: Sequence[Any], layout: Layout, prompt: Prompt) -> None:
    """The tool-declaration turn of `tools` (top-level or declared inside a message)."""
    rendered = layout.render_tools(tools) or tools_json(tools)
    prompt.texts += ["tool_declare", rendered]
    prompt.fixed += TURN


def _effort(body: Body) -> str:
    thinking = body.get("thinking")
    effort = thinking.get("effort") if isinstance(thinking, Mapping) else None
    return str(effort or body.get("reasoning_effort") or "max")


def _reasoning_kept_from(messages: Sequence[Mapping[str, Any]], body: Body) -> int:
    """Assistant turns after the last one without tool calls keep their reasoning (all of
    them with `thinking.keep: "all"`); earlier ones render an empty <think></think>."""
    thinking = body.get("thinking")
    if thinking and isinstance(thinking, Mapping) and thinking.get("keep") == "all":
        return 0
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if message.get("role") == "assistant" and not message.get("tool_calls"):
            return index + 1
    return 0


def _message(message: Mapping[str, Any], layout: Layout, keep_reasoning: bool,
             prompt: Prompt) -> None:
    role = message.get("role")
    content = message.get("content")
    if isinstance(message.get("tools"), list):  # tools declared from this point on (kimi-k3)
        declare(message["tools"], layout, prompt)
        if not content:
            return
    name = message.get("name")
    opening = ""
    if role == "tool":
        opening = f"## Return of {message.get('tool_call_id') or ''}\n"
    prompt.texts.append(name if isinstance(name, str) and name else str(role or "tool"))
    prompt.fixed += TURN
    if role == "assistant" and layout.thinking_blocks:
        prompt.fixed += 2  # <think> </think>
        reasoning = message.get("reasoning_content")
        if keep_reasoning and isinstance(reasoning, str):
            prompt.texts.append(reasoning)
    _content(content, opening, prompt)
    calls = message.get("tool_calls")
    if role == "assistant" and isinstance(calls, list) and calls:
        prompt.fixed += 2 + 3 * len(calls)
        for call in calls:
            function = call.get("function") if isinstance(call, Mapping) else None
            function = function if isinstance(function, Mapping) else {}
            prompt.texts += [str(call.get("id") or ""), str(function.get("arguments") or "")]


def _animated(media: Any) -> bool:
    """An animated GIF or WebP given as a data URL: decoded and counted as a video (§17.7)."""
    url = media.get("url") if isinstance(media, Mapping) else media
    found = data_url(url) if isinstance(url, str) else None
    return found is not None and is_animated(found[1])


def _content(content: Any, text: str, prompt: Prompt) -> None:
    """Text parts run together; an image or a video is its fixed number of tokens."""
    if isinstance(content, str):
        prompt.texts.append(text + content)
        return
    for part in content if isinstance(content, list) else ():
        kind = part.get("type") if isinstance(part, Mapping) else None
        if kind == "text":
            text += str(part.get("text", ""))
        elif kind in ("image_url", "video_url"):
            prompt.texts.append(text)
            text = ""
            video = kind == "video_url" or _animated(part.get("image_url"))
            prompt.fixed += VIDEO_TOKENS if video else IMAGE_TOKENS
    prompt.texts.append(text)
