"""The one token counter: `estimate-token-count`, chat `usage`, the context window, limits and
billing all count through a `TokenCounter`, so they always agree.

A counter is a text counter (the Kimi vocabulary in exact mode, the calibrated estimate by
default) over the family's chat layout (`layout`). On moonshot-v1 and K2 models a chat's
`prompt_tokens` is the estimate of the same messages and tools plus 3, the assistant's
generation prompt; K2.5 and later add the thinking marker, and kimi-k3 a rendered
`response_format` and the effort turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mock_server.chat.estimate import count_text as estimate_text
from mock_server.chat.layout import Layout, Prompt, declare, layout_named, render_chat_extras, render_estimate
from mock_server.chat.vocab import TextCount, TextSplit, load_splitter, load_vocabulary

if TYPE_CHECKING:
    from mock_server.data.catalogue import Model

Body = Mapping[str, Any]


class TokenCounter:
    """Counts of requests for a model; `exact` when it reads a real vocabulary."""

    def __init__(self, count_text: TextCount, exact: bool = False,
                 split: TextSplit | None = None) -> None:
        self.text = count_text
        self.exact = exact
        self.split = split  # a text's tokens (exact mode only): logprobs' boundaries

    def estimate(self, body: Body, model: Model) -> int:
        """`POST /v1/tokenizers/estimate-token-count`: the messages and the tools."""
        return self._total(render_estimate(body, layout_of(model)))

    def prompt(self, body: Body, model: Model, thinking: bool = False) -> int:
        """A chat's `usage.prompt_tokens`: the estimate, a rendered `response_format`, the
        family's effort turn and generation prompt (`thinking`: whether the model reasons)."""
        layout = layout_of(model)
        return self._total(render_chat_extras(body, layout, thinking, render_estimate(body, layout)))

    def tools(self, tools: Sequence[Any], model: Model) -> int:
        """The tokens of one tool-declaration turn of `tools` (top-level `tools`, or tools a
        message declares), rendered as the model's family renders them."""
        prompt = Prompt()
        declare(tools, layout_of(model), prompt)
        return self._total(prompt)

    def _total(self, prompt: Prompt) -> int:
        count = self.text
        return prompt.fixed + sum([count(text) for text in prompt.texts])


def layout_of(model: Model) -> Layout:
    return layout_named(str(model.rules.get("prompt_layout", "k2")))


DEFAULT_COUNTER = TokenCounter(estimate_text)


def counter_for(tokenizer_file: Path | None) -> TokenCounter:
    """The exact counter of a vocabulary file (loaded once per path), else the default."""
    if tokenizer_file is None:
        return DEFAULT_COUNTER
    path = Path(tokenizer_file)
    return TokenCounter(load_vocabulary(path), exact=True, split=load_splitter(path))
