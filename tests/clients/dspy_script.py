"""Run by tests/sdk/test_prompt_formats.py in the client libraries' environment: DSPy `Predict`
with its ChatAdapter (`[[ ## field ## ]]` markers, without its JSON fallback) and its
JSONAdapter, through litellm's OpenAI-compatible route (`openai/<model>`: the prompt alone) and
its Moonshot route (`moonshot/<model>`: the JSONAdapter sends a json_schema response_format),
against the fake at argv[1] on each model named after it."""

from __future__ import annotations

import json
import sys
from typing import Literal

import dspy


class AboutPerson(dspy.Signature):
    """Answer questions about people."""

    question: str = dspy.InputField()
    answer: str = dspy.OutputField()
    age: int = dspy.OutputField(desc="the person's age")
    role: Literal["admin", "editor", "viewer"] = dspy.OutputField()
    tags: list[str] = dspy.OutputField()
    ok: bool = dspy.OutputField()


ROUTES = ("openai", "moonshot")
ADAPTERS = {"chat": lambda: dspy.ChatAdapter(use_json_adapter_fallback=False),
            "json": dspy.JSONAdapter}


def main(base_url: str, models: list[str]) -> None:
    results: dict[str, dict[str, object]] = {}
    for model in models:
        for route in ROUTES:
            lm = dspy.LM(f"{route}/{model}", api_base=base_url, api_key="sk-dspy", cache=False,
                         num_retries=0)
            for name, adapter in ADAPTERS.items():
                with dspy.context(lm=lm, adapter=adapter()):
                    prediction = dspy.Predict(AboutPerson)(question="Who is Ada?")
                results[f"{name} {route}/{model}"] = dict(prediction.items())
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    for _ in sys.stdin:  # a run per line read (tests/clients/env.py)
        main(sys.argv[1], sys.argv[2:])
