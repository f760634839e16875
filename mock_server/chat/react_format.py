"""A template of labelled lines, the ReAct format: the prompt shows `Thought:`, `Action:` and
`Action Input:` lines (and the line that ends the loop, `Answer:` or `Final Answer:`), lists
its tools, and the answer takes one step.

Before any observation the step calls the tool the question points at (`tool_choice`'s
scoring, over the tools' names and descriptions as the prompt lists them): `Thought:`, then
`Action:` with one of the names the `Action:` line offers ("one of multiply, get_weather", "one
of [search]", else the `Tool Name:` lines), then `Action Input:` with JSON valid for the
tool's arguments (a schema written after its name, else its signature `name(a: int, b: str)`,
else `{"input": ...}`). Once an `Observation:` line follows the template (the tool's result,
in a later turn or the scratchpad), or when no tool fits, it answers: `Thought:` and the answer
line.
"""

from __future__ import annotations

import re
from typing import Any

from mock_server.chat.json_mode import embedded_schema
from mock_server.chat.prompt_parts import Prompt
from mock_server.chat.reply_shape import Prose, Shape, Value

LABEL = re.compile(r"^[ \t]*(?P<label>Thought|Action Input|Action|Observation|"
                   r"(?:[A-Z][a-z]+ )?Answer)[ \t]*:(?P<rest>[^\n]*)$", re.M)
ONE_OF = re.compile(r"\bone of\s*:?\s*[\[(]?(?P<names>[^\])\n]*)", re.I)
TOOL_NAME = re.compile(r"^[> \t]*Tool Name:\s*(?P<name>[A-Za-z_][\w.-]*)", re.M | re.I)
_IDENTIFIER = re.compile(r"[A-Za-z_][\w.-]*")
SIGNATURE = r"\b{name}\((?P<params>[^()\n]*)\)"
THOUGHT = Prose(6, 16)


def cued(prompt: Prompt) -> bool:
    """Whether the instructions hold the template's labels (False: no template to follow)."""
    return "Action Input" in prompt.instructions and "Thought" in prompt.instructions


def react_shape(prompt: Prompt) -> Shape | None:
    if not cued(prompt):
        return None
    text = prompt.instructions
    labels = list(LABEL.finditer(text))
    named = {m.group("label") for m in labels}
    if not {"Thought", "Action", "Action Input"} <= named:
        return None
    action = next(m for m in labels if m.group("label") == "Action")
    answer = next((m for m in labels if m.group("label").endswith("Answer")
                   and m.start() > action.start()), None)
    answer_label = answer.group("label") if answer else "Answer"
    template_end = answer.end() if answer else action.end()
    if _observed(prompt, text[:template_end]):
        return _answer(answer_label)
    from mock_server.chat.tool_choice import choose_tool  # on first use, with its patterns

    tools = _tools(text[: labels[0].start()] or text, action.group("rest"))
    tool = choose_tool(tools, "auto", [], _question(prompt, text, template_end)) if tools else None
    if tool is None:
        return _answer(answer_label)
    function = tool["function"]
    return ("Thought: ", THOUGHT, f"\nAction: {function['name']}\nAction Input: ",
            Value(function["name"], function["parameters"]))


def _answer(label: str) -> Shape:
    return ("Thought: ", THOUGHT, f"\n{label}: ", Prose(8, 40))


def _observed(prompt: Prompt, template: str) -> bool:
    """Whether an `Observation:` line follows the template (the tool has answered)."""
    joined = "\n".join(text for _, text in prompt.turns)
    tail = template[-200:]
    start = joined.find(tail)
    rest = joined[start + len(tail) :] if start >= 0 else joined
    return re.search(r"^[ \t]*Observation[ \t]*:", rest, re.M) is not None


def _question(prompt: Prompt, text: str, template_end: int) -> str:
    """What the tool is chosen for: the last user message, or the text after the template
    when the template is in it."""
    tail = text[max(0, template_end - 200) : template_end]
    position = prompt.last_user.find(tail)
    return prompt.last_user[position + len(tail) :] if position >= 0 else prompt.last_user


def _tools(listing: str, action_line: str) -> list[dict[str, Any]]:
    """The tools the prompt offers, as function tools, in the order it lists them."""
    offered = ONE_OF.search(action_line)
    names = [n.strip(" '\"`") for n in re.split(r",|;|\bor\b", offered.group("names"))] \
        if offered else []
    names = [n for n in names if _IDENTIFIER.fullmatch(n)]
    if not names:
        names = [m.group("name") for m in TOOL_NAME.finditer(listing)]
    names = list(dict.fromkeys(names))
    starts = [_first_mention(listing, name) for name in names]
    tools = []
    for index, name in enumerate(names):
        later = [s for s in starts if s > starts[index]]
        segment = listing[starts[index] : min(later, default=len(listing))] \
            if starts[index] >= 0 else ""
        tools.append({"type": "function", "function": {
            "name": name, "description": segment, "parameters": _arguments(name, segment)}})
    return tools


def _first_mention(listing: str, name: str) -> int:
    found = re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", listing)
    return found.start() if found else -1


def _arguments(name: str, segment: str) -> dict[str, Any]:
    """A schema for the tool's arguments: the one written after its name, else its signature."""
    from mock_server.chat.type_notes import schema_of  # on first use, with its patterns

    schema = embedded_schema(segment)
    if schema is not None:
        return dict(schema)
    signature = re.search(SIGNATURE.format(name=re.escape(name)), segment)
    if signature is not None:
        properties = {}
        for param in filter(None, (p.strip() for p in signature.group("params").split(","))):
            pname, _, note = param.partition(":")
            pname = pname.strip().lstrip("*")
            if _IDENTIFIER.fullmatch(pname) and pname not in ("self", "args", "kwargs"):
                properties[pname] = schema_of(note.split("=")[0]) if note else None
        return {"type": "object", "properties": {k: v or {"type": "string"}
                                                 for k, v in properties.items()},
                "required": list(properties)}
    return {"type": "object", "properties": {"input": {"type": "string"}}, "required": ["input"]}
