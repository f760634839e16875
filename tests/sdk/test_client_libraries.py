"""Client libraries people build on, unchanged, against the default model (no stubs): the
`openai` SDK's structured parse, LangChain's structured output and tool binding, and a
pydantic-ai agent through its Moonshot provider, over a real socket."""

from __future__ import annotations

import asyncio
from typing import Literal

import pytest
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel, Field

from tests.conftest import API_KEY


class Address(BaseModel):
    street: str
    city: str
    zip_code: str = Field(pattern=r"^\d{5}$")


class Person(BaseModel):
    name: str = Field(min_length=1, max_length=40)
    age: int = Field(ge=0, le=120)
    email: str | None = None
    role: Literal["admin", "editor", "viewer"]
    address: Address
    tags: list[str] = Field(max_length=4)


class CityInfo(BaseModel):
    city: str
    population: int
    is_capital: bool


WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather for a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}},
                   "required": ["city"]}}}


@pytest.fixture
def sdk(live_url: str) -> OpenAI:
    return OpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0)


@pytest.mark.parametrize("model", ["moonshot-v1-8k", "kimi-k2.6", "kimi-k3"])
def test_openai_parse_gives_the_pydantic_model(sdk: OpenAI, model: str) -> None:
    completion = sdk.chat.completions.parse(
        model=model, response_format=Person,
        messages=[{"role": "user", "content": "Extract: Ada, 36, admin, lives in London"}])
    person = completion.choices[0].message.parsed
    assert isinstance(person, Person) and isinstance(person.address, Address)


def test_tool_choice_auto_answers_in_text_or_calls_the_matching_tool(sdk: OpenAI) -> None:
    def ask(text: str) -> object:
        return sdk.chat.completions.create(model="moonshot-v1-8k", tools=[WEATHER_TOOL],
                                           messages=[{"role": "user", "content": text}]).choices[0]

    haiku = ask("Write a haiku about autumn")
    assert haiku.finish_reason == "stop" and haiku.message.content  # type: ignore[attr-defined]
    weather = ask("What's the weather in Paris today?")
    assert weather.finish_reason == "tool_calls"  # type: ignore[attr-defined]
    assert weather.message.tool_calls[0].function.name == "get_weather"  # type: ignore[attr-defined]


def chat_model(live_url: str, model: str = "moonshot-v1-8k") -> object:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=model, base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0)


def test_langchain_structured_output_in_every_method(live_url: str) -> None:
    from langchain_core.output_parsers import PydanticOutputParser

    llm = chat_model(live_url)
    instructions = PydanticOutputParser(pydantic_object=CityInfo).get_format_instructions()
    json_mode = llm.with_structured_output(CityInfo, method="json_mode")  # type: ignore[attr-defined]
    answer = json_mode.invoke(f"Tell me about Paris.\n{instructions}")
    assert isinstance(answer, CityInfo)
    for method in ("function_calling", "json_schema"):
        structured = llm.with_structured_output(Person, method=method)  # type: ignore[attr-defined]
        assert isinstance(structured.invoke("Ada, 36, admin in London"), Person)


def test_langchain_bind_tools_round_trip(live_url: str) -> None:
    from langchain_core.messages import HumanMessage, ToolMessage
    from langchain_core.tools import tool

    @tool
    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        return f"sunny in {city}"

    llm = chat_model(live_url).bind_tools([get_weather])  # type: ignore[attr-defined]
    messages: list = [HumanMessage("What's the weather in Paris?")]
    first = llm.invoke(messages)
    call = first.tool_calls[0]
    assert call["name"] == "get_weather" and isinstance(call["args"]["city"], str)
    messages += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    second = llm.invoke(messages)
    assert second.content and not second.tool_calls
    plain = llm.invoke([HumanMessage("Write a haiku about autumn")])
    assert plain.content and not plain.tool_calls


def test_pydantic_ai_agent_with_a_tool_and_a_structured_output(live_url: str) -> None:
    from pydantic_ai import Agent
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.moonshotai import MoonshotAIProvider

    client = AsyncOpenAI(base_url=f"{live_url}/v1", api_key=API_KEY, max_retries=0)
    model = OpenAIChatModel("kimi-k2.6", provider=MoonshotAIProvider(openai_client=client))
    agent = Agent(model, output_type=CityInfo)
    looked_up: list[str] = []

    @agent.tool_plain
    def get_weather(city: str) -> str:
        """Get the current weather for a city."""
        looked_up.append(city)
        return "sunny, 21 °C"

    result = asyncio.run(agent.run("What's the weather in Paris, and tell me about the city"))
    assert isinstance(result.output, CityInfo)
    assert looked_up, "the agent called its tool before answering"
