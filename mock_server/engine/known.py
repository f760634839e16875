"""What an app remembers about a JSON request body it has seen pass the schema.

Clients repeat themselves: a test suite sends the same chat requests run after run. Each app
keeps one record per raw body (up to `MAX_BODY_BYTES`), which the steps of the request's
way fill in as they pass: the door's body reader makes it once the body passed the schema, the
engine notes the semantic checks' result and the choices it planned (`engine/checks.py`,
`engine/plan.py`: the record belongs to the caller of the pure checks and planner). So one lookup serves
every step of a repeated request, and a new body costs one insertion. A body that fails a
step is never recorded as passing it: it is checked, and answered with its error, every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_server.memo import Memo

if TYPE_CHECKING:
    from mock_server.chat.plan import ChoicePlan
    from mock_server.data.catalogue import Catalogue, Model

KNOWN_BODY_ENTRIES = 1024  # per app; the oldest record goes first
MAX_BODY_BYTES = 16_384  # larger request bodies are not worth a record


@dataclass(slots=True)
class KnownBody:
    """A body that passed the schema check for its operation."""

    # the semantic checks passed against this catalogue: (catalogue, model, prompt tokens)
    checked: tuple[Catalogue, Model, int] | None = None
    # the planned choices, with everything besides the body they depend on (seed, reply
    # length, model); None when they also depend on the completion id
    choices: tuple[tuple[int, tuple[int, int], Model], tuple[ChoicePlan, ...]] | None = None
    # what a door other than chat made of the body (its parsed request: immutable, reused)
    door: Any = None
    # the journal's summary of the body (`engine.entries.body_summary`: shared, never changed)
    summary: dict[str, Any] | None = None


KnownBodies = Memo[tuple[str, bytes], KnownBody]


def body_key(operation_id: str, raw: bytes) -> tuple[str, bytes] | None:
    """The record's key, or None for a body too large to be worth remembering."""
    return (operation_id, raw) if len(raw) <= MAX_BODY_BYTES else None
