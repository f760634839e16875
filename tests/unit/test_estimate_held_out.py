"""The default estimate on text it was never fitted on: the held-out part of the wide corpus
(bench/corpus_wide.py, built from the project's own banks and from the interpreter and its
installed packages — nothing downloaded) against the real Kimi vocabulary. Per category the
median of estimate/real is within 5% and 90% of texts are within 15%."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus_wide
from bench.estimate_fit import held_out, summary, table
from mock_server.chat.estimate import _count
from mock_server.chat.tokens import counter_for


def test_the_held_out_part_never_feeds_the_fit() -> None:
    corpus = corpus_wide.build()
    fit_items = {e["text"] for e in corpus if e["part"] == "fit"}
    assert not any(e["text"] in fit_items for e in corpus if e["part"] == "held_out")
    assert {e["category"] for e in corpus} == {*corpus_wide.CATEGORIES, *corpus_wide.EXTRA_CATEGORIES}
    assert {e["source"].split(":")[0] for e in corpus} == {"bank", "stdlib", "pydoc_data", "package"}


def test_the_estimate_holds_on_text_it_never_saw(kimi_vocabulary: Path) -> None:
    found = held_out(counter_for(kimi_vocabulary).text, _count)
    print("\n" + "\n".join(table(found, corpus_wide.CATEGORIES)))  # shown with `pytest -s`
    for category in corpus_wide.CATEGORIES:
        figures = summary(found[category])
        assert figures["texts"] >= 20, (category, figures)
        assert abs(figures["median"] - 1) <= 0.05, (category, figures)
        assert figures["p90_error"] <= 0.15, (category, figures)


@pytest.mark.parametrize(("text", "at_least", "at_most"), [
    ("床前明月光，疑是地上霜。", 9, 14),
    ("今天终于吃上火锅了🔥🔥🔥", 8, 16),
])
def test_classical_text_and_emoji_cost_more_per_character(text: str, at_least: int,
                                                          at_most: int) -> None:
    assert at_least <= _count(text) <= at_most
