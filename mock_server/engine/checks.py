"""The semantic checks (DESIGN step 5): what the real API refuses although the spec allows it.

The explicit context cache a request names (setting `explicit_caching`) is applied first: it
decides the prompt. Then the default model's rules (`chat/rules.py`: the model exists on the
API's day, its parameters, messages, tools, the context window) and the files the messages
name. The result is a `Demand` (model, prompt tokens, output budget) that admission reserves;
it is kept on the body's record, so a repeated body is checked once (a failing body is checked,
and answered, every time).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_server.accounts.admission import Demand
from mock_server.chat.rules import check_chat_request, check_media_files, max_output_tokens

if TYPE_CHECKING:
    from mock_server.engine.call import Call
    from mock_server.engine.known import KnownBody
    from mock_server.engine.request import Inference
    from mock_server.services import Services


def check(call: Call, ask: Inference, services: Services) -> Demand:
    known = call.known
    if services.settings.explicit_caching:
        from mock_server.engine.cache_use import apply_cache  # on first use: explicit caches

        ask.conversation, call.cache_hit = apply_cache(call, ask.conversation, services)
        known = None if call.cache_hit is not None else known  # the cache decides the prompt
    return demand_of(ask.conversation, call.caller.account.name, services, known)


def demand_of(conversation: Mapping[str, Any], account: str, services: Services,
              known: KnownBody | None = None) -> Demand:
    """The rules' verdict on a conversation: its `Demand`, or the real API's refusal."""
    catalogue = services.api()
    if known is not None and known.checked is not None and known.checked[0] is catalogue:
        model, prompt_tokens = known.checked[1], known.checked[2]
    else:
        model, prompt_tokens = check_chat_request(conversation, catalogue, services.tokens)
        if known is not None:
            known.checked = (catalogue, model, prompt_tokens)
    check_media_files(conversation, lambda file_id: services.files.get(account, file_id).purpose)
    return Demand(model, prompt_tokens, max_output_tokens(conversation, model), catalogue.texts)
