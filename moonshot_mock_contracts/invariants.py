"""The facts schemathesis cannot see alone, as plain functions: data in, list of problems out.

An empty list means the response keeps the contract. Every message says what was received and
what the spec documents, so a drift report line can be read without the code.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .named_stream import named_stream_problems
from .spec import StreamSchemas, Validate
from .sse import framing_problems, parse_stream


def usage_problems(usage: Any, where: str = "usage") -> list[str]:
    """total_tokens must be prompt_tokens + completion_tokens."""
    if not isinstance(usage, Mapping):
        return [f"{where} is missing (received {usage!r})"]
    prompt, completion, total = (usage.get(k) for k in
                                 ("prompt_tokens", "completion_tokens", "total_tokens"))
    if not all(isinstance(v, int) for v in (prompt, completion, total)):
        return [f"{where} has non-integer counts: {dict(usage)}"]
    if total != prompt + completion:
        return [f"{where}.total_tokens is {total}, documented prompt_tokens + completion_tokens "
                f"= {prompt} + {completion} = {prompt + completion}"]
    return []


# A chat's prompt_tokens is the estimate of the same model, messages and tools plus the prompt
# that opens the answer, `<|im_assistant|>assistant<|im_middle|>`: 3 tokens on moonshot-v1 and
# K2 (documented: 80 estimated, 83 in usage). K2.5 and later add the thinking marker (`<think>`,
# or `<think></think>` with thinking off); kimi-k3 adds an effort turn whose size is not
# published, and a json_schema response_format is rendered into the prompt: at least 3 there.
GENERATION_PROMPT = 3


def prompt_gap(body: Mapping[str, Any] | None) -> tuple[int, bool]:
    """prompt_tokens - estimate for a chat body: the tokens, and whether exactly that many."""
    body = body or {}
    model = str(body.get("model", ""))
    response_format = body.get("response_format")
    rendered = isinstance(response_format, Mapping) and response_format.get("type") == "json_schema"
    if model.startswith(("moonshot-v1", "kimi-latest", "kimi-k2-")):
        return GENERATION_PROMPT, not rendered
    if model.startswith("kimi-k2."):
        thinking = body.get("thinking")
        off = isinstance(thinking, Mapping) and thinking.get("type") == "disabled"
        return GENERATION_PROMPT + (2 if off else 1), not rendered
    return GENERATION_PROMPT, False


def estimate_problems(estimate: Any, prompt_tokens: Any,
                      body: Mapping[str, Any] | None = None) -> list[str]:
    """The completion's prompt_tokens must be the estimate for the same model, messages and
    tools plus the generation prompt (`prompt_gap`)."""
    gap, exact = prompt_gap(body)
    if not isinstance(estimate, int) or not isinstance(prompt_tokens, int):
        return [f"estimate-token-count answered {estimate!r} and the completion reported "
                f"prompt_tokens {prompt_tokens!r}; documented integers"]
    if prompt_tokens - estimate == gap or (not exact and prompt_tokens - estimate > gap):
        return []
    relation = f"the estimate + {gap} = {estimate + gap}" if exact else \
        f"at least the estimate + {gap} = {estimate + gap}"
    return [f"estimate-token-count answered {estimate} for the same model, messages and tools, "
            f"but the completion reported prompt_tokens {prompt_tokens}; documented: {relation} "
            "(the generation prompt)"]


def envelope_problems(status: int, media_type: str, body: bytes, error: Validate) -> list[str]:
    """A non-2xx JSON answer must be the envelope `{"error": {"message", "type"}}`."""
    if media_type != "application/json":
        return [f"{status} answered with Content-Type {media_type or '(none)'!r}, "
                "documented application/json with the error envelope"]
    try:
        payload = json.loads(body)
    except ValueError:
        return [f"{status} body is not JSON: {body[:80]!r}"]
    return [f"{status} error envelope {p}" for p in error(payload)]


def not_found_problems(status: int, payload: Any, error: Validate) -> list[str]:
    """Retrieving a deleted resource must be a 404 `resource_not_found_error` envelope."""
    if status != 404:
        return [f"after a successful delete the same id answered {status}, documented 404"]
    problems = [f"404 after delete: {p}" for p in error(payload)]
    kind = payload.get("error", {}).get("type") if isinstance(payload, Mapping) else None
    if not problems and kind != "resource_not_found_error":
        problems.append(f"404 after delete has type {kind!r}, documented resource_not_found_error")
    return problems


def stream_problems(body: bytes, schemas: StreamSchemas) -> list[str]:
    """Framing, per-event schema and the stream invariants of a chat completion stream (or, for
    named frames, of a Messages stream: `named_stream`)."""
    if schemas.terminator is None:
        return named_stream_problems(body, schemas)
    stream = parse_stream(body)
    problems = framing_problems(stream)
    if not stream.events:
        return problems
    datas = [e.data for e in stream.events]
    done = schemas.terminator_const
    if done is not None and done in datas:
        index = datas.index(done)
        if index != len(datas) - 1:
            problems.append(f"{len(datas) - 1 - index} event(s) after {done}; documented: nothing")
    last_problems = schemas.terminator(datas[-1])
    if last_problems:
        problems.append(f"the last event is {datas[-1][:60]!r}, documented the terminator "
                        f"({'; '.join(last_problems)})")
        chunk_datas = datas
    else:
        chunk_datas = datas[:-1]
    chunks = []
    for number, data in enumerate(chunk_datas):
        try:
            chunk = json.loads(data)
        except ValueError:
            problems.append(f"event #{number} is not JSON: {data[:60]!r}")
            continue
        problems.extend(f"event #{number} {p}" for p in schemas.data(chunk))
        chunks.append(chunk)
    return problems + chunk_invariant_problems(chunks)


def chunk_invariant_problems(chunks: list[Any]) -> list[str]:
    """One id and created; per choice: role only first, one finish_reason, usage in the last."""
    chunks = [c for c in chunks if isinstance(c, Mapping)]
    problems = []
    for key in ("id", "created"):
        values = {json.dumps(c.get(key)) for c in chunks}
        if len(values) > 1:
            problems.append(f"{len(values)} different {key} values across chunks: "
                            f"{sorted(values)[:3]}; documented one per stream")
    per_choice: dict[Any, list[Mapping[str, Any]]] = {}
    for chunk in chunks:
        for choice in chunk.get("choices") or ():
            if isinstance(choice, Mapping):
                per_choice.setdefault(choice.get("index"), []).append(choice)
    if not per_choice:
        problems.append("no chunk carries a choice")
    for index, choices in per_choice.items():
        problems.extend(f"choice {index}: {p}" for p in choice_problems(choices))
    return problems


def choice_problems(choices: list[Mapping[str, Any]]) -> list[str]:
    problems = []
    roles = [n for n, c in enumerate(choices) if "role" in (c.get("delta") or {})]
    if any(n != 0 for n in roles):
        problems.append(f"delta.role in chunk(s) {roles}; documented only in the first")
    finishing = [n for n, c in enumerate(choices) if c.get("finish_reason") is not None]
    if len(finishing) != 1:
        problems.append(f"{len(finishing)} chunks carry a finish_reason; documented exactly one")
    elif finishing[0] != len(choices) - 1:
        problems.append("chunks follow the one with finish_reason; documented it is the last")
    with_usage = [n for n, c in enumerate(choices) if c.get("usage") is not None]
    if with_usage != [len(choices) - 1]:
        problems.append(f"usage in chunk(s) {with_usage} of {len(choices)}; documented only in "
                        "the final chunk of the choice")
    else:
        problems.extend(usage_problems(choices[-1]["usage"], "final choice usage"))
    return problems
