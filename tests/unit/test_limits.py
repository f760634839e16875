"""The pure admission logic: windows, the order of the four limits, tiers, exact messages."""

from __future__ import annotations

import pytest

from mock_server.accounts.limits import (
    Caller429,
    Limits,
    Usage,
    account_limits,
    admit,
    load_tiers,
    rate_limit_headers,
    rejection,
    release,
)
from mock_server.clock import epoch_day
from mock_server.config import AccountConfig, ConfigError, Settings, parse_limits
from mock_server.messages import texts_on

T0 = 1_767_225_600.0
ORG, PROJ, AK = "org-" + "a" * 32, "proj-" + "b" * 32, "ak-" + "c" * 20


def test_tier_presets_are_the_newest_table() -> None:
    tiers = load_tiers()
    assert list(tiers) == ["Tier0", "Tier1", "Tier2", "Tier3", "Tier4", "Tier5"]
    assert tiers["Tier0"] == Limits(concurrency=1, rpm=3, tpm=500_000, tpd=1_500_000)
    assert tiers["Tier1"] == Limits(concurrency=50, rpm=200, tpm=2_000_000, tpd=None)
    assert tiers["Tier5"] == Limits(concurrency=1000, rpm=10_000, tpm=5_000_000, tpd=None)


def test_limits_are_off_by_default_and_one_setting_turns_on_tier0() -> None:
    tiers = load_tiers()
    assert not account_limits(Settings(), None, tiers).enabled
    assert account_limits(Settings(tier="Tier0"), None, tiers) == tiers["Tier0"]


def test_account_tier_and_overrides_win_over_the_server_ones() -> None:
    tiers = load_tiers()
    settings = Settings(tier="Tier0", limits={"tpm": 1000})
    vip = AccountConfig(name="vip", tier="Tier3", limits={"rpm": None})
    assert account_limits(settings, None, tiers) == Limits(1, 3, 1000, 1_500_000)
    assert account_limits(settings, vip, tiers) == Limits(200, None, 1000, None)
    with pytest.raises(ConfigError, match="tier must be one of Tier0"):
        account_limits(Settings(tier="Tier9"), None, tiers)


@pytest.mark.parametrize(("text", "parsed"), [
    ("rpm=3,concurrency=1", {"rpm": 3, "concurrency": 1}),
    ("tpd=none, tpm = 10", {"tpd": None, "tpm": 10}),
    ({"rpm": None, "tpm": "5"}, {"rpm": None, "tpm": 5}),
])
def test_limit_overrides_parse(text: object, parsed: dict[str, int | None]) -> None:
    assert parse_limits(text) == parsed


@pytest.mark.parametrize(("text", "message"), [
    ("rpm", "name=value pairs"), ("rps=3", "unknown limit 'rps'"),
    ("rpm=-1", "limits.rpm has a bad value"), ("rpm=lots", "limits.rpm has a bad value"),
])
def test_bad_limit_overrides_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_limits(text)


def test_rpm_fourth_request_waits_for_the_window_then_passes() -> None:
    usage, limits = Usage(), Limits(rpm=3)
    for second in (0, 10, 20):
        assert admit(usage, limits, 100, T0 + second).admitted
        release(usage)
    verdict = admit(usage, limits, 100, T0 + 30)
    assert (verdict.kind, verdict.current, verdict.limit, verdict.retry_after) == ("rpm", 4, 3, 30)
    assert admit(usage, limits, 100, T0 + 59.5).kind == "rpm"  # first one leaves at T0 + 60
    assert admit(usage, limits, 100, T0 + 60).admitted


def test_rejected_requests_are_not_recorded() -> None:
    usage, limits = Usage(), Limits(rpm=1)
    assert admit(usage, limits, 1, T0).admitted
    for _ in range(5):
        assert not admit(usage, limits, 1, T0 + 1).admitted
    assert len(usage.minute.entries) == 1 and usage.in_flight == 1


def test_tpm_counts_prompt_plus_max_tokens_and_frees_them_after_a_minute() -> None:
    usage, limits = Usage(), Limits(tpm=1000)
    assert admit(usage, limits, 600, T0).admitted
    assert admit(usage, limits, 300, T0 + 20).admitted
    verdict = admit(usage, limits, 200, T0 + 30)
    assert (verdict.kind, verdict.current, verdict.limit, verdict.retry_after) == (
        "tpm", 1100, 1000, 30)  # 100 too many: the 600 of T0 must leave first
    assert admit(usage, limits, 200, T0 + 60).admitted
    assert usage.minute.tokens == 500


def test_tpd_holds_for_a_day() -> None:
    usage, limits = Usage(), Limits(tpd=1000)
    assert admit(usage, limits, 900, T0).admitted
    verdict = admit(usage, limits, 200, T0 + 3600)
    assert (verdict.kind, verdict.current, verdict.retry_after) == ("tpd", 1100, 86_400 - 3600)
    assert admit(usage, limits, 200, T0 + 86_400).admitted


def test_concurrency_counts_requests_in_flight_until_released() -> None:
    usage, limits = Usage(), Limits(concurrency=1)
    assert admit(usage, limits, 1, T0).admitted
    verdict = admit(usage, limits, 1, T0)
    assert (verdict.kind, verdict.current, verdict.limit, verdict.retry_after) == (
        "concurrency", 2, 1, 1)
    release(usage)
    release(usage)  # never below zero
    assert usage.in_flight == 0
    assert admit(usage, limits, 1, T0).admitted


def test_first_limit_hit_wins_in_order_concurrency_rpm_tpm_tpd() -> None:
    usage, limits = Usage(), Limits(concurrency=1, rpm=1, tpm=10, tpd=10)
    assert admit(usage, limits, 10, T0).admitted
    assert admit(usage, limits, 10, T0).kind == "concurrency"
    release(usage)
    assert admit(usage, limits, 10, T0).kind == "rpm"
    assert admit(usage, Limits(tpm=10, tpd=10), 1, T0).kind == "tpm"
    assert admit(usage, Limits(tpd=10), 1, T0).kind == "tpd"


WHO = Caller429(ORG, "cn0psmmcp7fclnphkcpg", PROJ, AK)


def test_messages_are_the_newest_real_wordings() -> None:
    usage = Usage()
    admit(usage, Limits(concurrency=1), 1, T0)
    concurrency = rejection(admit(usage, Limits(concurrency=1), 1, T0), WHO)
    assert concurrency.status == 429 and concurrency.type == "rate_limit_reached_error"
    assert concurrency.message == (f"Your account {ORG}<{AK}> request reached max organization "
                                   "concurrency: 1, please try again after 1 seconds")
    tpd = rejection(admit(Usage(), Limits(tpd=1_500_000), 1_526_210, T0), WHO)
    assert tpd.message == (f"Your account {ORG} / {PROJ} <{AK}> request reached organization "
                           "TPD rate limit, current: 1526210, limit: 1500000")


def test_the_retry_hint_says_one_second_as_every_capture_does() -> None:
    """Every real 429 says "after 1 seconds" (§9.3), whatever is left of the window; a client
    parsing the number must not wait a minute on the fake."""
    rpm = admit(Usage(), Limits(rpm=0), 1, T0)
    assert rpm.retry_after == 60  # the honest remainder, for Retry-After when headers are on
    assert rejection(rpm, WHO).message == (
        f"Your account {ORG}<{AK}> request reached organization max RPM: 0, "
        "please try again after 1 seconds")
    assert rejection(rpm, WHO, window_hint=True).message.endswith("after 60 seconds")


def test_the_tpm_text_is_the_real_capture() -> None:
    """The 2025-08 capture (kimi-cc#41): project TPM, with the limits page at the end."""
    tpm = rejection(admit(Usage(), Limits(tpm=100), 1410, T0), WHO)
    assert tpm.message == (f"Your account {ORG} / {PROJ} <{AK}> request reached project TPM rate "
                           "limit, current: 1410, limit: 100, "
                           "see https://platform.moonshot.cn/docs/pricing/limits")


def test_texts_follow_the_era_of_the_api_date() -> None:
    rpm = admit(Usage(), Limits(rpm=0), 1, T0)
    on = {day: rejection(rpm, WHO, texts_on(epoch_day(day))).message
          for day in ("2024-04-15", "2024-06-01", "2026-03-01")}
    assert on["2024-04-15"] == "max request per minute reached: 0, please try again after 1 seconds"
    assert on["2024-06-01"] == ("Your account cn0psmmcp7fclnphkcpg request reached max request: 0, "
                                "please try again after 1 seconds")
    assert on["2026-03-01"] == rejection(rpm, WHO).message


def test_optional_headers() -> None:
    usage, limits = Usage(), Limits(rpm=2)
    assert rate_limit_headers(admit(usage, limits, 1, T0)) == {
        "X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "60"}
    admit(usage, limits, 1, T0 + 15)
    assert rate_limit_headers(admit(usage, limits, 1, T0 + 20)) == {
        "Retry-After": "40", "X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "40"}
    assert rate_limit_headers(admit(Usage(), Limits(tpm=5), 1, T0)) == {}
