"""Scenarios, rules and the order in which a request's fault is chosen."""

from __future__ import annotations

import pytest

from mock_server.faults.book import FaultBook, FaultRequest
from mock_server.faults.dsl import FaultSyntaxError, parse_fault
from mock_server.faults.rules import (
    parse_rule,
    parse_scenario,
    rules_from_config,
    scenarios_from_config,
    split_top_level,
)

CHAT = "/v1/chat/completions"


def request(**changes: object) -> FaultRequest:
    values: dict[str, object] = {"method": "POST", "path": CHAT, "model": "moonshot-v1-8k",
                                 "account": "acme"}
    values.update(changes)
    return FaultRequest(**values)  # type: ignore[arg-type]


def texts(book: FaultBook, req: FaultRequest, calls: int) -> list[str | None]:
    return [c.plan.text if c.plan else None for c in (book.choose(req) for _ in range(calls))]


def test_split_keeps_parentheses_whole() -> None:
    assert split_top_level("latency=lognormal(1s,0.5),ok") == ["latency=lognormal(1s,0.5)", "ok"]


@pytest.mark.parametrize(("text", "steps"), [
    ("429,429,ok", ["error=rate_limit_rpm", "error=rate_limit_rpm", None]),
    ("429*2, ok", ["error=rate_limit_rpm", "error=rate_limit_rpm", None]),
    ("engine_overloaded,cut_after=3,ok", ["error=engine_overloaded", "cut_after=3", None]),
    ("504", ["gateway_timeout=0s"]),
    ("500,503,401,403,404,400", ["error=server_error", "error=server_unavailable",
                                "error=invalid_authentication", "error=permission_denied",
                                "error=not_found", "error=invalid_request"]),
])
def test_scenario_steps(text: str, steps: list[str | None]) -> None:
    decoded = parse_scenario(text)
    expected = [parse_fault(s) if s else None for s in steps]
    assert [(d.error, d.gateway_timeout, d.cut_after) if not d.is_noop else None
            for d in decoded] == [
        (e.error, e.gateway_timeout, e.cut_after) if e else None for e in expected]


@pytest.mark.parametrize(("text", "message"), [
    ("429,,ok", "scenario step 2 is empty"),
    ("418", "scenario step 1: no shortcut for status 418; use one of 400, 401, 403, 404, 429, "
            "500, 503, 504"),
    ("ok,bogus=1", "scenario step 2: unknown directive 'bogus'; known: error, status, type, "
                   "message, retry_after, latency, gateway_timeout, reset, empty, garbage, "
                   "cut_after, cut_mid_json, no_done, stall, ttft, tps, duplicate"),
    ("429*1001", "a scenario has at most 1000 steps"),
])
def test_bad_scenarios_are_named(text: str, message: str) -> None:
    with pytest.raises(FaultSyntaxError) as caught:
        parse_scenario(text)
    assert str(caught.value) == message


def test_scenario_is_consumed_call_by_call_then_ok() -> None:
    book = FaultBook()
    req = request(session="s1", scenario="429,cut_after=2,ok")
    assert texts(book, req, 5) == ["429", "cut_after=2", "ok", None, None]


def test_resending_the_same_scenario_does_not_restart_it_but_a_new_one_does() -> None:
    book = FaultBook()
    assert texts(book, request(session="s", scenario="500,ok"), 1) == ["500"]
    assert texts(book, request(session="s", scenario="500,ok"), 1) == ["ok"]
    assert texts(book, request(session="s", scenario="503"), 1) == ["503"]


def test_scenarios_are_keyed_by_session_else_account() -> None:
    book = FaultBook(scenarios={"acme": "429", "s9": "500"})
    assert texts(book, request(), 2) == ["429", None]
    assert texts(book, request(session="s9"), 1) == ["500"]
    assert texts(book, request(account="other"), 1) == [None]


def test_header_wins_over_scenario_step_which_is_still_consumed() -> None:
    book = FaultBook(scenarios={"acme": "429,500"})
    header = parse_fault("reset")
    assert book.choose(request(fault=header)).source == "header"
    choice = book.choose(request())
    assert (choice.plan.text if choice.plan else None, choice.source) == ("500", "scenario:acme#2")


def test_rules_match_and_count_down() -> None:
    book = FaultBook([parse_rule({"fault": "429", "times": 2,
                                  "match": {"path": "/v1/chat/*", "method": "post"}})])
    assert texts(book, request(path="/v1/models", method="GET"), 1) == [None]
    assert texts(book, request(), 3) == ["429", "429", None]
    assert book.rules() == [{"id": "rule-1", "fault": "429",
                             "match": {"method": "POST", "path": "/v1/chat/*"}, "times": 2,
                             "probability": None, "remaining": 0, "applied": 2}]


def test_rules_match_model_and_account() -> None:
    book = FaultBook([parse_rule({"fault": "500", "match": {"model": "kimi-k2.5",
                                                            "account": "acme"}})])
    assert texts(book, request(), 1) == [None]
    assert texts(book, request(model="kimi-k2.5", account="other"), 1) == [None]
    assert texts(book, request(model="kimi-k2.5"), 2) == ["500", "500"]


def test_probability_is_seeded() -> None:
    def run(seed: int) -> list[str | None]:
        book = FaultBook([parse_rule({"fault": "500", "probability": 0.5})], seed=seed)
        return texts(book, request(), 40)

    assert run(4) == run(4)
    hits = run(4).count("500")
    assert 8 < hits < 32
    assert run(4) != run(5)


def test_scenario_wins_over_rules_even_when_ok() -> None:
    book = FaultBook([parse_rule("500")], scenarios={"acme": "ok"})
    assert texts(book, request(), 2) == ["ok", None]


@pytest.mark.parametrize(("item", "message"), [
    (42, "a fault rule is a mapping with a 'fault', got 42"),
    ({"fault": "500", "when": 1}, "fault rule has unknown fields ['when']; "
                                  "known: ['fault', 'match', 'times', 'probability']"),
    ({"times": 1}, "fault rule needs 'fault': an X-Mock-Fault value or a step like 429"),
    ({"fault": "500", "times": 0}, "fault rule 'times' must be a whole number >= 1, got 0"),
    ({"fault": "500", "probability": 2}, "fault rule 'probability' must be in [0, 1], got 2"),
    ({"fault": "500", "match": {"host": "x"}}, "fault rule 'match' has unknown fields ['host']; "
                                               "known: ['method', 'path', 'model', 'account']"),
])
def test_bad_rules_are_named(item: object, message: str) -> None:
    with pytest.raises(FaultSyntaxError) as caught:
        parse_rule(item)
    assert str(caught.value) == message


def test_config_sections() -> None:
    assert len(rules_from_config("latency=5ms")) == 1
    with pytest.raises(FaultSyntaxError, match="rule 2: fault rule 'times'"):
        rules_from_config(["500", {"fault": "500", "times": -1}])
    assert scenarios_from_config({"ci": "429,ok"}) == {"ci": "429,ok"}
    with pytest.raises(FaultSyntaxError, match="scenario 'ci': scenario step 1 is empty"):
        scenarios_from_config({"ci": ",ok"})
