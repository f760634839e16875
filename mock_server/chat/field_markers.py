"""A template of field markers: the prompt shows its fields one a line between markers such as
`[[ ## answer ## ]]` (also `<<answer>>`, `[[answer]]`), gives the input fields' values after
theirs, and the answer fills the others, each after its marker, ending with the completion
marker the prompt asks for.

The output fields are the markers the last user message names in a sentence ("respond with
... `[[ ## answer ## ]]`, then `[[ ## score ## ]]` ..., ending with the marker for
`[[ ## completed ## ]]`"), else the template's markers whose values it does not give. A field's
type comes from its note (`# note: ... must be a single int value`, `(must be formatted as a
valid Python list[str])`) or a typed key list (`` 2. `score` (int): ... ``); a text field is
prose, other values JSON.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mock_server.chat.prompt_parts import Prompt
from mock_server.chat.reply_shape import Part, Shape, Value

if TYPE_CHECKING:
    from mock_server.chat.type_notes import Schema

_DECORATIONS = (r"\[\[ ?#{1,3} ?", r" ?#{1,3} ?\]\]"), (r"<<", r">>"), (r"\[\[", r"\]\]")
MARKERS = tuple(re.compile(rf"{open_}(?P<name>[A-Za-z_]\w*){close}") for open_, close in _DECORATIONS)
_NOTE = re.compile(r"#\s*note:?\s*(?P<note>[^\n]*)", re.I)
_INLINE_NOTE = re.compile(r"\s*\((?P<note>(?:[^()\n]|\([^()\n]*\))*)\)")
ENDING = re.compile(r"\b(?:end|ending|finish|finishing|close|closing|conclude)\b[^.\n]{0,40}$", re.I)


def cued(prompt: Prompt) -> bool:
    """Whether the instructions hold a marker's opening (False: no template to follow)."""
    return opens_marker(prompt.instructions)


def opens_marker(text: str) -> bool:
    return "[[" in text or "<<" in text


def marker_shape(prompt: Prompt) -> Shape | None:
    if not cued(prompt):
        return None
    text = prompt.instructions
    for marker in MARKERS:
        template = _own_line(marker, text)
        if len({m.group("name") for m in template}) < 2:
            continue
        outputs, end = _outputs(marker, template, prompt.last_user)
        if outputs:
            return _shape(template[0].group(0), marker, outputs, end, text)
    return None


def _own_line(marker: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The markers standing alone on their lines."""
    found = []
    for match in marker.finditer(text):
        before = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        after_end = text.find("\n", match.end())
        after = text[match.end() : after_end if after_end >= 0 else len(text)]
        if not before.strip() and not after.strip():
            found.append(match)
    return found


def _outputs(marker: re.Pattern[str], template: list[re.Match[str]],
             last_user: str) -> tuple[list[str], str | None]:
    """The fields to fill, in order, and the marker that ends the answer."""
    own = {m.start() for m in _own_line(marker, last_user)}
    inline = [m for m in marker.finditer(last_user) if m.start() not in own]
    if inline:
        end = next((m.group("name") for m in inline
                    if ENDING.search(last_user[max(0, m.start() - 60) : m.start()])), None)
        return [m.group("name") for m in inline if m.group("name") != end], end
    given = {m.group("name") for m in _own_line(marker, last_user) if _valued(m)}
    names = list(dict.fromkeys(m.group("name") for m in template))
    end = names[-1] if _bare(template, names[-1]) else None
    return [n for n in names if n not in given and n != end], end


def _following(match: re.Match[str]) -> str:
    """The first non-blank line after a marker."""
    return match.string[match.end() :].lstrip("\n").split("\n", 1)[0].strip()


def _valued(match: re.Match[str]) -> bool:
    """Whether a marker has a value after it (not a `{placeholder}`, another marker or none)."""
    following = _following(match)
    return bool(following) and not following.startswith(("{", "<")) and \
        not any(marker.fullmatch(following) for marker in MARKERS)


def _bare(template: list[re.Match[str]], name: str) -> bool:
    """Whether the template's last marker stands with no placeholder after it (the end)."""
    match = next(m for m in reversed(template) if m.group("name") == name)
    return not _following(match).startswith(("{", "<"))


def _shape(sample: str, marker: re.Pattern[str], outputs: list[str], end: str | None,
           text: str) -> Shape:
    from mock_server.chat.key_forms import keys_in  # on first use, with its patterns

    parts: list[Part] = []
    typed = keys_in(text)
    for name in outputs:
        schema = _noted(marker, name, text) or typed.get(name)
        parts += [_spelled(sample, marker, name), "\n", Value(name, schema, text=True), "\n\n"]
    if end is not None:
        parts.append(_spelled(sample, marker, end))
    else:
        parts[-1] = ""
    return tuple(parts)


def _spelled(sample: str, marker: re.Pattern[str], name: str) -> str:
    """A marker for `name` written as the template writes its markers."""
    found = marker.fullmatch(sample)
    assert found is not None
    return sample[: found.start("name")] + name + sample[found.end("name") :]


def _noted(marker: re.Pattern[str], name: str, text: str) -> Schema | None:
    """The type a note beside the field's marker gives: the template's `# note:` line or a
    parenthesis after the marker in a sentence."""
    from mock_server.chat.type_notes import schema_in  # on first use, with its patterns

    for match in marker.finditer(text):
        if match.group("name") != name:
            continue
        rest = text[match.end() : match.end() + 400]
        inline = _INLINE_NOTE.match(rest.replace("`", "", 1) if rest.startswith("`") else rest)
        if inline:
            schema = schema_in(inline.group("note"))
            if schema is not None:
                return schema
        following = rest.lstrip("\n").split("\n", 1)[0]
        note = _NOTE.search(following)
        if note and following.lstrip().startswith(("{", "<")):
            schema = schema_in(note.group("note"))
            if schema is not None:
                return schema
    return None
