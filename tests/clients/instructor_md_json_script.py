"""Run by tests/sdk/test_prompt_formats.py in the client libraries' environment: instructor's
MD_JSON mode (a JSON Schema in the system prompt, the answer asked for in a ```json block, no
response_format) against the fake at argv[1], on each model named after it."""

from __future__ import annotations

import json
import sys
from typing import Literal

import instructor
from openai import OpenAI
from pydantic import BaseModel, Field


class Person(BaseModel):
    name: str = Field(min_length=1)
    age: int = Field(ge=0, le=120)
    role: Literal["admin", "editor", "viewer"]


def main(base_url: str, models: list[str]) -> None:
    client = instructor.from_openai(OpenAI(base_url=base_url, api_key="sk-instructor",
                                           max_retries=0), mode=instructor.Mode.MD_JSON)
    results = {}
    for model in models:
        person = client.chat.completions.create(
            model=model, response_model=Person, max_retries=0,
            messages=[{"role": "user", "content": "Extract: Ada, 36, admin"}])
        results[model] = person.model_dump()
    print(json.dumps(results), flush=True)


if __name__ == "__main__":
    for _ in sys.stdin:  # a run per line read (tests/clients/env.py)
        main(sys.argv[1], sys.argv[2:])
