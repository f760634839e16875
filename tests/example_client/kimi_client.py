"""kimi-notes: a tiny client of the Moonshot API (the code under test in this example project)."""

from __future__ import annotations

from typing import Any

import openai

MODEL = "moonshot-v1-8k"


class IncompleteAnswer(RuntimeError):
    """The stream ended without a finish_reason: the answer may be cut short."""


class KimiUnavailable(RuntimeError):
    """Moonshot could not answer after the SDK's retries."""


def _messages(question: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": "You are Kimi."}, {"role": "user", "content": question}]


class Notes:
    def __init__(self, **client_options: Any) -> None:
        client_options.setdefault("max_retries", 2)
        self.client = openai.OpenAI(**client_options)

    def ask(self, question: str) -> str:
        try:
            completion = self.client.chat.completions.create(model=MODEL,
                                                             messages=_messages(question))
        except (openai.RateLimitError, openai.InternalServerError,
                openai.APIConnectionError) as exc:
            raise KimiUnavailable(str(exc)) from exc
        return completion.choices[0].message.content or ""

    def stream(self, question: str) -> str:
        parts, finished = [], False
        try:
            for chunk in self.client.chat.completions.create(model=MODEL, stream=True,
                                                             messages=_messages(question)):
                parts.append(chunk.choices[0].delta.content or "")
                finished = finished or chunk.choices[0].finish_reason is not None
        except openai.APIConnectionError as exc:
            raise IncompleteAnswer("the stream broke off") from exc
        if not finished:
            raise IncompleteAnswer("the stream ended without a finish_reason")
        return "".join(parts)


class AsyncNotes:
    def __init__(self, **client_options: Any) -> None:
        client_options.setdefault("max_retries", 2)
        self.client = openai.AsyncOpenAI(**client_options)

    async def ask(self, question: str) -> str:
        completion = await self.client.chat.completions.create(model=MODEL,
                                                               messages=_messages(question))
        return completion.choices[0].message.content or ""
