"""Which tool the default model calls, if any: it calls one when the conversation points at it.

With `tool_choice: "auto"` (the default) a tool is called when the last user or system text
shares a word with the tool's name (`get_weather` -> weather) or description (for Chinese, two
Han characters in a row) or a related word (rain -> weather), or asks for a tool outright
("use the ... tool", "调用", "查一下"); otherwise the model answers in text. After a tool
result it calls a relevant tool not called yet, else answers in text. An agent's "final
answer" tool (its name says final, output, result or answer, or its description says "final")
is called when no other tool fits, so agent frameworks can finish. `required` calls the best
tool (the first when none fits); a named function calls that one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

Tool = Mapping[str, Any]
_WORD = re.compile(r"[a-z]+|[0-9]+")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
FINAL_WORDS = frozenset({"final", "output", "result", "answer", "respond", "response"})
ASK_FOR_TOOL = re.compile(r"\b(use|call|invoke|run)\b[^.?!]{0,40}\b(tool|function)s?\b|"
                          r"调用|使用工具|查一下|查询一下|搜一下|搜索一下", re.I)
_STOP_TEXT = """a an and are as at be by can do does for from get has have how i if in
into is it its me my no not of on or our set so that the their them then there these this to
up us use was we what when where which who why will with you your tool tools function functions
call given return returns value values data info information list item items user new current
should must may about like please"""
STOPWORDS = frozenset(_STOP_TEXT.split())


# words that point at the same kind of tool: a question about rain is one for a weather tool
RELATED = tuple(frozenset(group.split()) for group in (
    "weather rain snow sunny cloudy forecast temperature wind humidity storm umbrella",
    "time clock hour date today now timezone zone",
    "search find lookup look news web browse google",
    "email mail send inbox message",
    "stock price ticker share market quote",
    "calculate calculator math sum compute add multiply",
    "translate translation language",
))


def _fold(word: str) -> str:
    """Plurals and -ing/-ed forms folded: raining -> rain, searched -> search, multiplied ->
    multiply, cities -> city."""
    if word.endswith(("ied", "ies")) and len(word) > 5:
        return word[:-3] + "y"
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)]
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def words(text: str) -> set[str]:
    """Lower-case words of `text` (camelCase and snake_case split), plurals and verb forms
    folded, without stopwords."""
    found: set[str] = set()
    for word in _WORD.findall(_CAMEL.sub(" ", text).lower()):
        if len(word) > 2 and word not in STOPWORDS:
            found.add(_fold(word))
    return found


def _related(tool_words: set[str], text_words: set[str]) -> int:
    """1 when a text word and a tool word belong to one group of `RELATED`."""
    return int(any(group & tool_words and group & text_words for group in RELATED))


def _han_pairs(text: str) -> set[str]:
    return {run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def _function(tool: Tool) -> Mapping[str, Any]:
    return tool.get("function") or {}


def tool_name(tool: Tool) -> str:
    return str(_function(tool).get("name", ""))


def is_final(tool: Tool) -> bool:
    function = _function(tool)
    return bool(words(str(function.get("name", ""))) & FINAL_WORDS) or \
        "final" in str(function.get("description", "")).lower()


def score(tool: Tool, text: str, text_words: set[str]) -> int:
    """How strongly `text` points at `tool`: shared name words count 2, description words 1,
    a related word (`RELATED`) 1."""
    function = _function(tool)
    name = str(function.get("name", "")).lstrip("$")
    description = str(function.get("description", ""))
    name_words, description_words = words(name), words(description)
    points = 2 * len(name_words & text_words) + len(description_words & text_words)
    points += _related(name_words | description_words, text_words)
    if not text.isascii():
        points += len(_han_pairs(description + name) & _han_pairs(text))
    return points


def choose_tool(tools: Sequence[Tool], choice: Any, messages: Sequence[Mapping[str, Any]],
                text: str) -> Tool | None:
    """The tool to call for this turn, or None to answer in text. `text`: the last user or
    system text."""
    if not tools or choice == "none":
        return None
    if isinstance(choice, Mapping):
        wanted = _function(choice).get("name")
        return next((t for t in tools if tool_name(t) == wanted), None)
    after_result = bool(messages) and messages[-1].get("role") == "tool"
    called = _called(messages) if after_result else set()
    text_words = words(text)
    ranked = sorted(((score(t, text, text_words), position, t)
                     for position, t in enumerate(tools)
                     if not is_final(t) and tool_name(t) not in called),
                    key=lambda item: (-item[0], item[1]))
    if ranked and ranked[0][0] > 0:
        return ranked[0][2]
    if not after_result and ASK_FOR_TOOL.search(text) and ranked:
        return ranked[0][2]
    final = next((t for t in tools if is_final(t)), None)
    if final is not None:
        return final
    if choice == "required":
        return ranked[0][2] if ranked else tools[0]
    return None


def _called(messages: Sequence[Mapping[str, Any]]) -> set[str]:
    """The tools called since the last user message."""
    names: set[str] = set()
    for message in reversed(messages):
        if message.get("role") == "user":
            break
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping):
                names.add(str((call.get("function") or {}).get("name", "")))
    return names
