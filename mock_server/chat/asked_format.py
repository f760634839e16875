"""The format a prompt asks the answer to take, when no `response_format` forces one.

Each reader looks for one kind of request in what the prompt says, in general terms rather than
by framework, and gives the reply's `Shape` (`reply_shape`), or None:

1. a template of labelled lines, `Thought:` / `Action:` / `Action Input:` (`react_format`);
2. a template of field markers such as `[[ ## answer ## ]]` (`field_markers`);
3. JSON asked for in words ("respond with a JSON object", "return ... in a ```json block"),
   following the schema, example or keys the prompt gives (`json_mode.schema_from_text`);
4. a closed answer: a list of N items, one of two words ("answer yes or no"), one word
   (`closed_answers`).

The first that finds its request wins; a prompt asking for none gets prose. The instructions
read are the system messages and the last user message; the labelled-lines reader also reads
the turns since (a tool's observation). Each reader needs a cue in the prompt (a label, a
marker, the word JSON, a count, "or", ...): a prompt holding none is prose without running them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from mock_server.chat import closed_answers, field_markers, react_format
from mock_server.chat.json_mode import schema_from_text
from mock_server.chat.prompt_parts import Prompt, edge, read_prompt
from mock_server.chat.reply_shape import Shape, Value

ASKS_JSON = re.compile(
    r"\b(?:respond|reply|answer|return|output|give|provide|format|formatted|write|produce|"
    r"generate|emit|print)\b[^.\n]{0,80}?\bjson\b|\bjson\b[^.\n]{0,30}?\b(?:only|format|object|"
    r"array|code ?block|response|output)\b|以\s*json|用\s*json|json\s*格式", re.I)
FENCED = re.compile(r"```json|\bjson\b[^.\n]{0,40}\b(?:code ?block|markdown|fenced?)\b|"
                    r"\b(?:code ?block|markdown|fenced?)\b[^.\n]{0,40}\bjson\b", re.I)
MAX_MENTIONS = 32
MEMO_MAX_CHARS, MEMO_ENTRIES = 4096, 1024  # the instruction texts whose cues are remembered
ARRAY = re.compile(r"\bjson (?:array|list)\b|\b(?:array|list) of (?:json )?objects\b", re.I)


def asked_shape(messages: Sequence[Mapping[str, Any]]) -> Shape | None:
    """The shape of the reply the prompt asks for, or None for prose."""
    prompt = read_prompt(messages)
    if not cued(prompt):
        return None
    for read in READERS:
        shape = read(prompt)
        if shape is not None:
            return shape
    return None


def cued(prompt: Prompt) -> bool:
    """Whether the prompt holds a cue of some reader's request: a few string scans of each
    instruction text, remembered per text (clients send the same system prompt again and
    again), and one of the whole edges for a count before a word (which may run from one
    text into the next). A text cut from the instructions of a very long prompt may still
    cue; the readers then find what they find without the test."""
    if react_format.cued(prompt):
        return True
    for text in prompt.texts:
        if (_text_cued_remembered if len(text) <= MEMO_MAX_CHARS else _text_cued)(text):
            return True
    return closed_answers.counted(prompt)


def _text_cued(text: str) -> bool:
    """A marker's opening, the word JSON, or a closed answer's cue word in one text (the
    cues that never run across the line break between two texts)."""
    return field_markers.opens_marker(text) or "json" in text.lower() or \
        closed_answers.worded(edge(text))


_text_cued_remembered = lru_cache(maxsize=MEMO_ENTRIES)(_text_cued)


def json_shape(prompt: Prompt) -> Shape | None:
    """JSON when the instructions ask for it in words; fenced when they ask for a code block."""
    text = prompt.instructions
    if not _asks_json(text):
        return None
    schema = schema_from_text(text)
    if ARRAY.search(text) and (schema is None or schema.get("type") != "array"):
        item = schema or {"type": "object", "properties": {"name": {"type": "string"}},
                          "required": ["name"]}
        schema = {"type": "array", "items": item, "minItems": 2, "maxItems": 3}
    value = Value("", schema if schema is not None else _DEFAULT_OBJECT)
    if FENCED.search(text):
        return ("```json\n", value._replace(indent=True), "\n```")
    return (value,)


def _asks_json(text: str) -> bool:
    """Whether a sentence around a mention of JSON asks for it (only those are read)."""
    lower = text.lower()
    index = lower.find("json")
    for _ in range(MAX_MENTIONS):
        if index < 0:
            return False
        if ASKS_JSON.search(text, max(0, index - 100), index + 60):
            return True
        index = lower.find("json", index + 4)
    return False


_DEFAULT_OBJECT = {"type": "object", "properties": {
    "answer": {"type": "string"}, "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
    "required": ["answer", "confidence"]}

READERS: tuple[Callable[[Prompt], Shape | None], ...] = (
    react_format.react_shape, field_markers.marker_shape, json_shape,
    closed_answers.list_shape, closed_answers.choice_shape, closed_answers.one_word_shape,
)
