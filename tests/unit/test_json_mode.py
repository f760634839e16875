"""json_object answers follow the prompt: an embedded schema, else the keys it names."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import orjson
import pytest

from mock_server.chat.plan import Replies, completion_body, plan_chat
from mock_server.data.catalogue import load_catalogue

SCHEMA = {"properties": {"name": {"title": "Name", "type": "string"},
                         "age": {"title": "Age", "type": "integer", "minimum": 0}},
          "required": ["name", "age"], "title": "Person", "type": "object"}
LANGCHAIN = ("Answer the user query.\nThe output should be formatted as a JSON instance that "
             "conforms to the JSON schema below.\n\nAs an example, for the schema {\"properties\": "
             "{\"foo\": {\"title\": \"Foo\", \"description\": \"a list of strings\", \"type\": "
             "\"array\", \"items\": {\"type\": \"string\"}}}, \"required\": [\"foo\"]}\nthe object "
             "{\"foo\": [\"bar\", \"baz\"]} is a well-formatted instance of the schema. The object "
             "{\"properties\": {\"foo\": [\"bar\", \"baz\"]}} is not well-formatted.\n\nHere is the "
             f"output schema:\n```\n{orjson.dumps(SCHEMA).decode()}\n```")
INSTRUCTOR = ("As a genius expert, your task is to understand the content and provide the parsed "
              "objects in json that match the following json_schema:\n\n"
              f"{orjson.dumps(SCHEMA, option=orjson.OPT_INDENT_2).decode()}\n\n"
              "Make sure to return an instance of the JSON, not the schema itself")


def answer(messages: list[dict[str, Any]], model: str = "kimi-k2-turbo-preview") -> Any:
    body = {"model": model, "messages": messages, "response_format": {"type": "json_object"}}
    plan = plan_chat(body, load_catalogue().models[model], 10,
                     Replies(1, (16, 64), "chatcmpl-x", 0, "fp"))
    return orjson.loads(completion_body(plan)["choices"][0]["message"]["content"])


@pytest.mark.parametrize("system", [LANGCHAIN, INSTRUCTOR])
def test_an_embedded_schema_is_obeyed(system: str) -> None:
    value = answer([{"role": "system", "content": system},
                    {"role": "user", "content": "Jason is 25 years old"}])
    jsonschema_rs.validate(SCHEMA, value)
    assert set(value) == {"name", "age"}


def test_the_keys_a_prompt_names_are_there() -> None:
    value = answer([{"role": "user", "content":
                     'Describe Paris as JSON with keys "city", "population" and "is_capital".'}])
    assert set(value) == {"city", "population", "is_capital"}
    assert isinstance(value["population"], int) and isinstance(value["is_capital"], bool)
    chinese = answer([{"role": "user", "content": "用 JSON 回答，包含键 城市、人口"}])
    assert set(chinese) == {"城市", "人口"}


def test_otherwise_the_default_shape() -> None:
    assert set(answer([{"role": "user", "content": "Tell me something as JSON"}])) == {
        "answer", "confidence"}


@pytest.mark.parametrize(("prompt", "types"), [
    ("Return a JSON object with keys name (string) and age (integer).",
     {"name": str, "age": int}),
    ('Respond in JSON with "title", "year" and "genre".', {"title": str, "year": int, "genre": str}),
    ("Give me JSON with the fields city, population and is_capital",
     {"city": str, "population": int, "is_capital": bool}),
    ("Return JSON with these fields:\n\n- name: the person's name\n- age (integer): their age\n"
     "- tags (list of strings)", {"name": str, "age": int, "tags": list}),
    ("Answer as JSON:\n1. `title` (str): the book\n2. `pages` (int)\n3. `in_print` (bool)",
     {"title": str, "pages": int, "in_print": bool}),
    ("Reply with JSON matching:\ninterface Movie {\n  title: string;\n  year: number;\n"
     "  genres: string[];\n  rated?: boolean;\n}", {"title": str, "year": (int, float),
                                                    "genres": list, "rated": bool}),
    ("Output JSON like this pydantic model:\nclass Book(BaseModel):\n    title: str\n"
     "    pages: int = Field(ge=1)\n    price: Optional[float] = None\n",
     {"title": str, "pages": int, "price": (float, int, type(None))}),
    ("Return JSON: { name: string; score: number }", {"name": str, "score": (int, float)}),
    ('Answer in JSON, for example {"name": "Alice", "age": 30, "tags": ["a"], "admin": false}',
     {"name": str, "age": int, "tags": list, "admin": bool}),
])
def test_the_keys_in_every_form_people_write_them(prompt: str, types: dict[str, Any]) -> None:
    value = answer([{"role": "user", "content": prompt}])
    assert list(value) == list(types), value
    for key, kind in types.items():
        assert isinstance(value[key], kind), (key, value)
    if "tags" in value:
        assert all(isinstance(tag, str) for tag in value["tags"])


def test_data_given_to_work_on_is_no_example_of_the_answer() -> None:
    value = answer([{"role": "user", "content":
                     'Classify this record: {"id": 5, "text": "great film"}. Respond in JSON.'}])
    assert set(value) == {"answer", "confidence"}
