"""Parse a `text/event-stream` body into its events, keeping what the framing checks need.

Pure: bytes in, events out. Only the fields the Moonshot streams use are interpreted (`data`,
and `event` for the Messages door's named frames); anything else (comments, `id:` fields, a
missing blank line) is reported as found, so that the checks can say what was wrong instead of
silently skipping it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Event:
    data: str
    other_fields: tuple[str, ...] = ()
    name: str | None = None  # the `event:` field, when the frame has one


@dataclass(frozen=True)
class Stream:
    events: tuple[Event, ...]
    comments: tuple[str, ...] = ()
    problems: tuple[str, ...] = field(default=())


def parse_stream(body: bytes) -> Stream:
    """Split on blank lines; each block's `data:` lines join with newlines (the SSE rule)."""
    text = body.decode("utf-8", errors="replace").replace("\r\n", "\n")
    problems: list[str] = []
    if text and not text.endswith("\n\n"):
        problems.append("the stream does not end with a blank line (last event unterminated)")
    events: list[Event] = []
    comments: list[str] = []
    for block in filter(None, text.split("\n\n")):
        data: list[str] = []
        others: list[str] = []
        name = None
        for line in block.split("\n"):
            if line.startswith(":"):
                comments.append(line[1:].strip())
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
            elif line:
                field, _, value = line.partition(":")
                others.append(field)
                name = value.removeprefix(" ") if field == "event" else name
        if data:
            events.append(Event("\n".join(data), tuple(others), name))
        elif others:
            problems.append(f"an event without data carries fields {others}")
    return Stream(tuple(events), tuple(comments), tuple(problems))


def framing_problems(stream: Stream) -> list[str]:
    """What any stream's framing got wrong, whatever its events: the parser's findings,
    comment lines (none are documented) and a stream without data events."""
    problems = list(stream.problems)
    if stream.comments:
        problems.append(f"{len(stream.comments)} comment line(s) (e.g. {stream.comments[0]!r}); "
                        "none are documented")
    if not stream.events:
        problems.append("the stream has no data events")
    return problems
