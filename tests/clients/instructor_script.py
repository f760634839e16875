"""Run by tests/sdk/test_instructor.py in the client libraries' environment (instructor's openai pin
differs from the dev extra's): JSON and TOOLS modes against the fake at argv[1]."""

from __future__ import annotations

import json
import sys
from typing import Literal

import instructor
from openai import OpenAI
from pydantic import BaseModel, Field


class Address(BaseModel):
    city: str
    zip_code: str = Field(pattern=r"^\d{5}$")


class Person(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    age: int = Field(ge=0, le=120)
    role: Literal["admin", "editor", "viewer"]
    address: Address


def main(base_url: str) -> None:
    results = {}
    # TOOLS mode names the function in tool_choice, which thinking models refuse (as the real
    # API does), so it runs on moonshot-v1; JSON mode runs on both
    runs = [(instructor.Mode.JSON, "kimi-k2.6"), (instructor.Mode.JSON, "moonshot-v1-8k"),
            (instructor.Mode.TOOLS, "moonshot-v1-8k")]
    for mode, model in runs:
        client = instructor.from_openai(OpenAI(base_url=base_url, api_key="sk-instructor"),
                                        mode=mode)
        person = client.chat.completions.create(
            model=model, response_model=Person, max_retries=0,
            messages=[{"role": "user", "content": "Extract: Ada, 36, admin, lives in Paris 75001"}])
        results[f"{mode.value} {model}"] = person.model_dump()
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    for _ in sys.stdin:  # a run per line read (tests/clients/env.py)
        main(sys.argv[1])
