"""Run by tests/sdk/test_prompt_formats.py in the client libraries' environment: a llama-index
`ReActAgent` (tools described in its system prompt, the model answering in `Thought:` /
`Action:` / `Action Input:` lines) with two tools, against the fake at argv[1] on each model
named after it. The thinking models take only temperature 1 (the real API's rule)."""

from __future__ import annotations

import asyncio
import json
import sys

from llama_index.core.agent.workflow import ReActAgent
from llama_index.core.tools import FunctionTool
from llama_index.llms.openai_like import OpenAILike

THINKING = ("kimi-k2.6", "kimi-k3")


async def ask(base_url: str, model: str) -> dict[str, object]:
    called: list[dict[str, object]] = []

    def multiply(a: int, b: int) -> int:
        """Multiply two integers and return the product."""
        called.append({"tool": "multiply", "a": a, "b": b})
        return a * b

    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        called.append({"tool": "get_weather", "city": city})
        return "sunny"

    llm = OpenAILike(model=model, api_base=base_url, api_key="sk-llama", is_chat_model=True,
                     is_function_calling_model=False, max_retries=0,
                     temperature=1.0 if model in THINKING else 0.1)
    agent = ReActAgent(tools=[FunctionTool.from_defaults(multiply),
                              FunctionTool.from_defaults(get_weather)], llm=llm)
    answer = await agent.run("What is 3 multiplied by 4?")
    return {"answer": str(answer), "called": called}


def main(base_url: str, models: list[str]) -> None:
    print(json.dumps({model: asyncio.run(ask(base_url, model)) for model in models}), flush=True)


if __name__ == "__main__":
    for _ in sys.stdin:  # a run per line read (tests/clients/env.py)
        main(sys.argv[1], sys.argv[2:])
