"""The default model answers in the format the prompt asks for (no response_format): JSON in
a code block after a schema, field markers, the ReAct lines, yes/no, one word, N items."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from mock_server.chat.plan import Replies, completion_body, plan_chat
from mock_server.data.catalogue import load_catalogue

PROMPTS = Path(__file__).resolve().parents[1] / "data" / "prompts"

PERSON = {"properties": {"name": {"title": "Name", "type": "string"},
                         "age": {"maximum": 120, "minimum": 0, "title": "Age", "type": "integer"},
                         "role": {"enum": ["admin", "editor", "viewer"], "title": "Role",
                                  "type": "string"}},
          "required": ["name", "age", "role"], "title": "Person", "type": "object"}
CODE_BLOCK_SYSTEM = ("As a genius expert, your task is to understand the content and provide the "
                     "parsed objects in json that match the following json_schema:\n\n"
                     f"{json.dumps(PERSON, indent=2)}\n\nMake sure to return an instance of the "
                     "JSON, not the schema itself")
CODE_BLOCK_USER = ("Extract: Ada, 36, admin\n\nReturn the correct JSON response within a ```json "
                   "codeblock. not the JSON_SCHEMA")
MARKER_SYSTEM = (PROMPTS / "field_markers_system.txt").read_text(encoding="utf-8")
MARKER_USER = ("[[ ## question ## ]]\nWho is Ada?\n\nRespond with the corresponding output "
               "fields, starting with the field `[[ ## answer ## ]]`, then `[[ ## age ## ]]` "
               "(must be formatted as a valid Python int), then `[[ ## role ## ]]` (must be "
               "formatted as a valid Python Literal['admin', 'editor', 'viewer']), then "
               "`[[ ## tags ## ]]` (must be formatted as a valid Python list[str]), then "
               "`[[ ## ok ## ]]` (must be formatted as a valid Python bool), and then ending "
               "with the marker for `[[ ## completed ## ]]`.")
JSON_FIELDS_SYSTEM = (PROMPTS / "json_fields_system.txt").read_text(encoding="utf-8")
JSON_FIELDS_USER = ("[[ ## question ## ]]\nWho is Ada?\n\nRespond with a JSON object in the "
                    "following order of fields: `answer`, then `age` (must be formatted as a "
                    "valid Python int), then `role` (must be formatted as a valid Python "
                    "Literal['admin', 'editor', 'viewer']), then `tags` (must be formatted as a "
                    "valid Python list[str]), then `ok` (must be formatted as a valid Python "
                    "bool).")
REACT_SYSTEM = (PROMPTS / "react_system.txt").read_text(encoding="utf-8")
CLASSIC_REACT = (PROMPTS / "react_one_prompt.txt").read_text(encoding="utf-8")


def reply(messages: list[dict[str, Any]], model: str = "moonshot-v1-8k", seed: int = 1) -> str:
    body = {"model": model, "messages": messages}
    plan = plan_chat(body, load_catalogue().models[model], 10,
                     Replies(seed, (16, 64), "chatcmpl-x", 0, "fp"))
    return completion_body(plan)["choices"][0]["message"]["content"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_json_in_a_code_block_after_a_schema(seed: int) -> None:
    content = reply([{"role": "system", "content": CODE_BLOCK_SYSTEM},
                     {"role": "user", "content": CODE_BLOCK_USER}], seed=seed)
    fenced = re.fullmatch(r"```json\n(.*)\n```", content, re.S)
    assert fenced, content
    jsonschema_rs.validate(PERSON, json.loads(fenced.group(1)))


@pytest.mark.parametrize("model", ["moonshot-v1-8k", "kimi-k2.6", "kimi-k3"])
def test_field_markers_in_order_typed_and_completed(model: str) -> None:
    content = reply([{"role": "system", "content": MARKER_SYSTEM},
                     {"role": "user", "content": MARKER_USER}], model)
    sections = re.split(r"\[\[ ## (\w+) ## \]\]", content)
    assert sections[0] == "" and sections[1::2] == ["answer", "age", "role", "tags", "ok",
                                                    "completed"]
    values = dict(zip(sections[1::2], (s.strip() for s in sections[2::2]), strict=True))
    assert values["answer"] and values["completed"] == ""
    assert int(values["age"]) >= 0 and values["role"] in ("admin", "editor", "viewer")
    assert all(isinstance(t, str) for t in json.loads(values["tags"]))
    assert values["ok"] in ("true", "false")


def test_a_json_object_with_the_fields_of_an_example_typed_by_its_notes() -> None:
    content = reply([{"role": "system", "content": JSON_FIELDS_SYSTEM},
                     {"role": "user", "content": JSON_FIELDS_USER}])
    value = json.loads(content)
    assert list(value) == ["answer", "age", "role", "tags", "ok"]
    assert isinstance(value["age"], int) and value["role"] in ("admin", "editor", "viewer")
    assert isinstance(value["tags"], list) and isinstance(value["ok"], bool)


def test_react_calls_the_tool_the_question_points_at_then_answers() -> None:
    asked = [{"role": "system", "content": REACT_SYSTEM},
             {"role": "user", "content": "What is 3 multiplied by 4?"}]
    step = reply(asked)
    found = re.fullmatch(r"Thought: [^\n]+\nAction: (\w+)\nAction Input: (\{.*\})", step, re.S)
    assert found, step
    assert found.group(1) == "multiply"
    arguments = json.loads(found.group(2))
    assert set(arguments) == {"a", "b"} and all(isinstance(v, int) for v in arguments.values())
    observed = [*asked, {"role": "assistant", "content": step},
                {"role": "user", "content": "Observation: 12"}]
    assert re.fullmatch(r"Thought: [^\n]+\nAnswer: .+", reply(observed), re.S)


def test_react_in_one_prompt_with_a_scratchpad() -> None:
    step = reply([{"role": "user", "content": CLASSIC_REACT}])
    found = re.fullmatch(r"Thought: [^\n]+\nAction: (\w+)\nAction Input: (\{.*\})", step, re.S)
    assert found and found.group(1) == "search", step
    assert isinstance(json.loads(found.group(2))["query"], str)
    done = CLASSIC_REACT + " I should search.\nAction: search\nAction Input: moon\n" \
        "Observation: The Moon landing was in 1969.\nThought:"
    assert re.fullmatch(r"Thought: [^\n]+\nFinal Answer: .+", reply(
        [{"role": "user", "content": done}]), re.S)


def test_react_answers_at_once_when_no_tool_fits() -> None:
    content = reply([{"role": "system", "content": REACT_SYSTEM},
                     {"role": "user", "content": "Write a haiku about autumn"}])
    assert re.fullmatch(r"Thought: [^\n]+\nAnswer: .+", content, re.S)


@pytest.mark.parametrize(("prompt", "allowed"), [
    ("Is Paris the capital of France? Answer yes or no.", {"yes", "no"}),
    ("Is the sky green? Answer with Yes or No only.", {"Yes", "No"}),
    ("Reply with 'positive' or 'negative': I loved this film.", {"positive", "negative"}),
    ("Is it raining? (yes/no)", {"yes", "no"}),
    ("巴黎是法国的首都吗？请回答是或否。", {"是", "否"}),
])
def test_one_of_two_words(prompt: str, allowed: set[str]) -> None:
    assert reply([{"role": "user", "content": prompt}]) in allowed


@pytest.mark.parametrize("prompt", ["Describe the sea in one word.", "用一个词形容大海。",
                                    "大海是什么样的？一个词回答。"])
def test_one_word(prompt: str) -> None:
    for seed in (1, 2, 3):
        content = reply([{"role": "user", "content": prompt}], seed=seed)
        assert re.fullmatch(r"\w+", content), content


@pytest.mark.parametrize(("prompt", "count", "bullet"), [
    ("List 5 cities in Europe.", 5, False),
    ("Give me three reasons to learn Python", 3, False),
    ("Summarise this in 4 bullet points: the fake answers offline.", 4, True),
    ("列出 3 个城市", 3, False),
    ("请给我 5 个建议，关于学习中文。", 5, False),
])
def test_a_list_of_n_items(prompt: str, count: int, bullet: bool) -> None:
    lines = reply([{"role": "user", "content": prompt}]).split("\n")
    assert len(lines) == count
    for number, line in enumerate(lines, 1):
        assert line.startswith("- " if bullet else f"{number}. ") and len(line) > 4


@pytest.mark.parametrize("prompt", [
    "Write a haiku about autumn", "What is JSON and why is it popular?",
    "你好，我叫李雷，1+1等于多少？", "Explain the difference between a list and a tuple in Python.",
])
def test_a_prompt_asking_no_format_gets_prose(prompt: str) -> None:
    content = reply([{"role": "user", "content": prompt}])
    assert not content.startswith(("{", "[", "```", "Thought:", "1. ")), content
    assert len(content.split()) > 3 or not content.isascii()


def test_the_same_request_gives_the_same_reply() -> None:
    messages = [{"role": "system", "content": MARKER_SYSTEM},
                {"role": "user", "content": MARKER_USER}]
    assert reply(messages) == reply(messages)
    assert ast.literal_eval(repr(reply(messages)))  # plain text, nothing unprintable


def test_a_json_array_of_objects_with_the_fields_named() -> None:
    content = reply([{"role": "user", "content":
                      "Return a JSON array of objects with the fields title and year (integer)."}])
    items = json.loads(content)
    assert isinstance(items, list) and len(items) >= 2
    assert all(set(item) == {"title", "year"} and isinstance(item["year"], int) for item in items)


def test_a_hand_written_marker_template_gets_the_fields_it_leaves_empty() -> None:
    system = ("Fill in the template.\n\n<<topic>>\n{topic}\n\n<<summary>>\n{summary}\n\n"
              "<<score>>\n{score}  # note: an integer from 1 to 10\n\n<<end>>")
    content = reply([{"role": "system", "content": system},
                     {"role": "user", "content": "<<topic>>\nThe Moon"}])
    sections = re.split(r"<<(\w+)>>", content)
    assert sections[1::2] == ["summary", "score", "end"]
    assert sections[2].strip() and isinstance(int(sections[4].strip()), int)
