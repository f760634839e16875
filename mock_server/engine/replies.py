"""Reply choice (DESIGN step 7, first half): the stub that answers instead of the default model
or the operation's handler, if one does — one lookup over both kinds of stub.

A recorded exchange (`--reply-files-dir DIR`, matched on the request's normalised document) answers as
recorded; a scripted rule matching the conversation answers with its reply. Both are consulted
here, after authentication, the bounds, the fault plan and the body's validation (and, for an
inference request, after its semantic checks and admission), so a replayed answer is refused,
limited and faulted like any other. The stub's id goes on the call (and so into the journal
entry: a rule's id, or `recording:<file>`). An `error:` reply is a fault plan in the
`X-Mock-Fault` language, put on the call like a fault rule's (its source `reply:<id>`);
`engine.run.infer` acts on it as on any fault. Under `replay_strict`, a request no stub answers
is a 404 naming the closest recorded request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mock_server.engine.gate import SESSION_HEADER
from mock_server.errors import MoonshotError

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.engine.request import Inference
    from mock_server.replies.book import Answer
    from mock_server.services import Services


def replays(services: Services) -> bool:
    """Whether a recorded exchange may answer (there are some, or strict replay refuses the
    rest): what an operation other than inference consults."""
    return bool(services.replies.recorded) or strict(services)


def strict(services: Services) -> bool:
    settings = services.settings
    return settings.replay_strict and settings.reply_files_dir is not None


def choose_reply(call: Call, ask: Inference | None, services: Services) -> Answer | None:
    """The stub that answers this request (`ask`: its conversation, for an inference request),
    or None when none does."""
    book = services.replies
    if book.idle and not strict(services):
        return None
    from mock_server.faults.rules import parse_step  # on first use: a server with stubs
    from mock_server.recording.matching import unmatched_message
    from mock_server.recording.normalise import request_key

    document: dict[str, Any] | None = None
    key = None
    if book.recorded or strict(services):
        document = request_document(call)
        key = request_key(document)
    answer = book.answer(None if ask is None else ask.conversation, call.caller.account.name,
                         call.headers.get(SESSION_HEADER), key)
    if answer is None:
        if document is not None and key is not None and strict(services):
            closest = book.recorded.closest(document, key)
            raise MoonshotError("resource_not_found_error", unmatched_message(
                document, closest, str(services.settings.reply_files_dir)))
        return None
    call.reply_rule = answer.id
    if answer.reply is not None and answer.reply.error is not None:
        call.fault, call.fault_source = parse_step(answer.reply.error), f"reply:{answer.id}"
    return answer


def request_document(call: Call) -> dict[str, Any]:
    """The request as a recording matches it (`recording.normalise`)."""
    from mock_server.recording.normalise import normalise_request  # on first use

    return normalise_request(call.method, call.path, call.query,
                             call.headers.get("content-type", ""), call.raw or b"")
