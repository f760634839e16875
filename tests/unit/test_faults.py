"""The X-Mock-Fault DSL: what each directive decodes to, and the exact complaint for bad ones."""

from __future__ import annotations

import random

import pytest

from mock_server.faults.dsl import FaultPlan, FaultSyntaxError, Latency, parse_fault
from mock_server.faults.presets import NAMED_ERRORS, ErrorFault

OVERLOADED = ErrorFault(429, "engine_overloaded_error",
                        "The engine is currently overloaded, please try again later")


@pytest.mark.parametrize(("text", "expected"), [
    ("error=engine_overloaded", FaultPlan(error=OVERLOADED)),
    ("error=engine_overloaded_error", FaultPlan(error=OVERLOADED)),
    (" error = engine_overloaded ", FaultPlan(error=OVERLOADED)),
    ("status=429;type=rate_limit_reached_error;message=slow down",
     FaultPlan(error=ErrorFault(429, "rate_limit_reached_error", "slow down"))),
    ("type=server_error", FaultPlan(error=ErrorFault(
        500, "server_error", "Internal server error, please try again later"))),
    ("status=418", FaultPlan(error=ErrorFault(418, "server_error",
                                              "Internal server error, please try again later"))),
    ("error=quota;status=403", FaultPlan(error=ErrorFault(
        403, "exceeded_current_quota_error", NAMED_ERRORS["quota"].message))),
    ("error=content_filter;retry_after=2", FaultPlan(
        error=NAMED_ERRORS["content_filter"], retry_after=2.0)),
    ("latency=200ms", FaultPlan(latency=Latency("fixed", 0.2))),
    ("latency=1.5s", FaultPlan(latency=Latency("fixed", 1.5))),
    ("latency=lognormal(100ms, 0.5)", FaultPlan(latency=Latency("lognormal", 0.1, 0.5))),
    ("latency=uniform(10ms,30ms)", FaultPlan(latency=Latency("uniform", 0.01, 0.03))),
    ("gateway_timeout=1s", FaultPlan(gateway_timeout=1.0)),
    ("reset", FaultPlan(connection="reset")),
    ("empty", FaultPlan(connection="empty")),
    ("garbage;latency=5ms", FaultPlan(connection="garbage", latency=Latency("fixed", 0.005))),
    ("cut_after=3", FaultPlan(cut_after=3)),
    ("cut_mid_json=0", FaultPlan(cut_mid_json=0)),
    ("no_done;duplicate=4", FaultPlan(no_done=True, duplicate=4)),
    ("stall=2s@5", FaultPlan(stall=(2.0, 5))),
    ("ttft=300ms;tps=20", FaultPlan(ttft=0.3, tps=20.0)),
])
def test_directives_decode(text: str, expected: FaultPlan) -> None:
    plan = parse_fault(text)
    assert plan.text == text.strip()
    assert plan == FaultPlan(text=text.strip(), **{
        k: getattr(expected, k) for k in expected.__dataclass_fields__ if k != "text"})


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty fault; write directives like error=engine_overloaded"),
    ("boom", "unknown directive 'boom'; known: error, status, type, message, retry_after, "
             "latency, gateway_timeout, reset, empty, garbage, cut_after, cut_mid_json, "
             "no_done, stall, ttft, tps, duplicate"),
    ("error=teapot", "unknown error 'teapot'; see docs/faults.md for the names "
                     "(e.g. engine_overloaded)"),
    ("error", "directive 'error' needs a value (error=...)"),
    ("reset=1", "directive 'reset' takes no value"),
    ("latency=200", "latency needs a duration like 200ms or 1.5s, got '200'"),
    ("latency=1000s", "latency is at most 900s, got '1000s'"),
    ("latency=lognormal(100ms)", "latency=lognormal(...) takes two arguments, "
                                 "got 'lognormal(100ms)'"),
    ("latency=uniform(2s,1s)", "latency=uniform needs low <= high, got 'uniform(2s,1s)'"),
    ("cut_after=-1", "cut_after needs a whole number >= 0, got '-1'"),
    ("duplicate=0", "duplicate needs a whole number >= 1, got '0'"),
    ("stall=2s", "stall needs DURATION@EVENT like 2s@5, got '2s'"),
    ("tps=0", "tps needs a positive number, got '0'"),
    ("status=200", "status needs a whole number >= 400, got '200'"),
    ("status=600", "status must be 400-599, got '600'"),
    ("type=nope", "unknown error type 'nope'; known: ['client_closed_request', 'content_filter', "
                  "'engine_overloaded_error', 'exceeded_current_quota_error', "
                  "'incorrect_api_key_error', 'invalid_authentication_error', "
                  "'invalid_request_error', 'permission_denied_error', "
                  "'rate_limit_reached_error', 'resource_not_found_error', 'server_error', "
                  "'server_unavailable', 'unexpected_output']"),
    ("message=hi", "message= needs error=, status= or type="),
    ("reset;reset", "directive 'reset' given twice"),
    ("error=quota;reset", "error and reset cannot be combined: one outcome per request"),
    ("gateway_timeout=1s;empty", "gateway_timeout and empty cannot be combined: "
                                 "one outcome per request"),
    ("error=quota;cut_after=1", "stream faults need a stream that starts; drop 'error'"),
    ("cut_after=1;cut_mid_json=1", "cut_after and cut_mid_json cannot be combined"),
    ("retry_after=1", "retry_after needs an error (error=, status= or type=)"),
    ("error=quota;", "unknown directive ''; known: error, status, type, message, retry_after, "
                     "latency, gateway_timeout, reset, empty, garbage, cut_after, cut_mid_json, "
                     "no_done, stall, ttft, tps, duplicate"),
])
def test_bad_directives_are_named(text: str, message: str) -> None:
    with pytest.raises(FaultSyntaxError) as caught:
        parse_fault(text)
    assert str(caught.value) == message


def test_latency_draws_are_seeded_and_bounded() -> None:
    latency = parse_fault("latency=lognormal(100ms,0.5)").latency
    assert latency is not None
    first = [latency.draw(random.Random(3)) for _ in range(5)]
    assert first == [latency.draw(random.Random(3)) for _ in range(5)]
    uniform = Latency("uniform", 0.01, 0.02)
    rng = random.Random(1)
    assert all(0.01 <= uniform.draw(rng) <= 0.02 for _ in range(100))
    assert Latency("lognormal", 800.0, 5.0).draw(random.Random(0)) <= 900.0


def test_every_named_error_has_the_status_of_its_type() -> None:
    from mock_server.errors import STATUS_BY_TYPE
    for name, error in NAMED_ERRORS.items():
        expected = 403 if name == "quota_inactive" else STATUS_BY_TYPE[error.type]
        assert error.status == expected, name


@pytest.mark.parametrize("text", ["cut_after=0", "cut_mid_json=0", "stall=1s@0", "no_done"])
def test_zero_positions_still_count_as_stream_faults(text: str) -> None:
    plan = parse_fault(text)
    assert plan.has_stream_faults and not plan.is_noop
