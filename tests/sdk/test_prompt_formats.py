"""Frameworks that ask for a format in the prompt, unchanged, against the default model and
with a scripted reply in place: instructor's MD_JSON mode, DSPy `Predict` with its ChatAdapter
and JSONAdapter, a llama-index `ReActAgent` reaching its tool, LangChain's json_mode with
type-noted keys; each on moonshot-v1-8k, kimi-k2.6 and kimi-k3 (none of these paths is one the
real API refuses on a thinking model: no tool-call history, no named tool_choice). DSPy goes
through litellm's OpenAI-compatible route and its Moonshot one (whose JSONAdapter asks for a
json_schema response_format).

instructor, DSPy and llama-index run from the client libraries' environment (`.venv-clients`,
made by `make install`: their pins clash with the dev extra's), driving the fake over a real
socket; LangChain is in the dev extra.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from mock_server.testing.handle import MoonshotMock
from tests.clients.env import Script

MODELS = ("moonshot-v1-8k", "kimi-k2.6", "kimi-k3")
ADA = {"name": "Ada", "age": 36, "role": "admin"}
PREDICTION = {"answer": "Ada Lovelace, an administrator.", "age": 36, "role": "admin",
              "tags": ["engineer", "mathematician"], "ok": True}
MARKED = ("[[ ## answer ## ]]\nAda Lovelace, an administrator.\n\n[[ ## age ## ]]\n36\n\n"
          "[[ ## role ## ]]\nadmin\n\n[[ ## tags ## ]]\n[\"engineer\", \"mathematician\"]\n\n"
          "[[ ## ok ## ]]\nTrue\n\n[[ ## completed ## ]]")


def test_instructor_md_json_gives_the_model_from_a_code_block(moonshot_mock: MoonshotMock) -> None:
    with Script("instructor_md_json_script.py", moonshot_mock.base_url, *MODELS) as script:
        for person in script.run().values():
            assert person["name"] and 0 <= person["age"] <= 120
            assert person["role"] in ("admin", "editor", "viewer")
        moonshot_mock.reply(f"```json\n{json.dumps(ADA)}\n```")
        assert script.run() == dict.fromkeys(MODELS, ADA)


def check_prediction(prediction: dict[str, Any]) -> None:
    assert isinstance(prediction["answer"], str) and prediction["answer"]
    assert isinstance(prediction["age"], int) and prediction["role"] in ("admin", "editor",
                                                                        "viewer")
    assert prediction["tags"] and all(isinstance(t, str) for t in prediction["tags"])
    assert isinstance(prediction["ok"], bool)


def test_dspy_predict_with_the_chat_and_json_adapters(moonshot_mock: MoonshotMock) -> None:
    with Script("dspy_script.py", moonshot_mock.base_url, *MODELS) as script:
        results = script.run()
        assert sorted(results) == sorted(f"{adapter} {route}/{model}"
                                         for adapter in ("chat", "json")
                                         for route in ("openai", "moonshot") for model in MODELS)
        for prediction in results.values():
            check_prediction(prediction)
        moonshot_mock.reply(MARKED, last_user="Respond with the corresponding output fields")
        moonshot_mock.reply(json.dumps(PREDICTION), last_user="Respond with a JSON object")
        assert script.run() == dict.fromkeys(results, PREDICTION)


def test_llama_index_react_agent_reaches_its_tool(moonshot_mock: MoonshotMock) -> None:
    with Script("llama_react_script.py", moonshot_mock.base_url, *MODELS) as script:
        for run in script.run().values():
            [call] = run["called"]
            assert call["tool"] == "multiply" and isinstance(call["a"], int) and isinstance(
                call["b"], int)
            assert run["answer"]
        moonshot_mock.reply("Thought: I need the multiply tool.\nAction: multiply\n"
                            'Action Input: {"a": 3, "b": 4}', last_user="multiplied")
        moonshot_mock.reply("Thought: I can answer without using any more tools.\nAnswer: 12",
                            last_user="Observation: 12")
        expected = {"answer": "12", "called": [{"tool": "multiply", "a": 3, "b": 4}]}
        assert script.run() == dict.fromkeys(MODELS, expected)


class Person(BaseModel):
    name: str
    age: int


ASK = "Ada is 36. Return a JSON object with keys name (string) and age (integer)."


def json_mode(mock: MoonshotMock, model: str) -> Any:
    from langchain_openai import ChatOpenAI

    llm = ChatOpenAI(model=model, base_url=mock.base_url, api_key=mock.api_key, max_retries=0)
    return llm.with_structured_output(Person, method="json_mode")


@pytest.mark.parametrize("model", MODELS)
def test_langchain_json_mode_with_type_noted_keys(moonshot_mock: MoonshotMock, model: str) -> None:
    person = json_mode(moonshot_mock, model).invoke(ASK)
    assert isinstance(person, Person) and person.name
    moonshot_mock.reply(json.dumps({"name": "Ada", "age": 36}))
    assert json_mode(moonshot_mock, model).invoke(ASK) == Person(name="Ada", age=36)
