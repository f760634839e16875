"""Texts of the real API's errors by era, shared by the limiter, billing, chat rules and faults.

`ERAS` lists, oldest first, the day a wording was first seen (reference §9.2 documented
templates for the start, then the §9.3 real captures) and the texts it changed; `texts_on(day)`
is the wording of that day's API: every change up to that day (for a day before the first
capture, the documented templates). `texts_on(None)` is the newest wording.

Placeholders: `{org}` (org id), `{uid}` (user xid), `{proj}` (project id), `{ak}` (key id),
the figures `{limit}`, `{current}`, `{retry_after}`, and `{context}` / `{requested}` for the
token limit. `quota_status` is the HTTP status of the insufficient-balance error of the era;
`tool_name_pattern` the documented pattern of a function tool's name.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from datetime import date
from functools import cache

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

ERAS: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("2023-11-01", {  # the documented table (E1/E2, §9.2)
        "concurrency": "Your account {uid}<{ak}> request reached max concurrency: {limit}, "
                       "please try again after {retry_after} seconds",
        "rpm": "Your account {uid}<{ak}> request reached max request: {limit}, "
               "please try again after {retry_after} seconds",
        "tpm": "Your account {uid}<{ak}> request reached TPM rate limit, "
               "current:{current}, limit:{limit}",
        "tpd": "Your account {uid}<{ak}> request reached TPD rate limit,"
               "current:{current}, limit:{limit}",
        "token_limit": "Your request exceeded model token limit : {context}",
        "insufficient_balance": "Your account {org}<{ak}> is not active, organization <{org}> "
                                "exceeded current quota, please check your plan and billing details",
        "quota_status": "403",
        "tool_name_pattern": "^[a-zA-Z_][a-zA-Z0-9-_]{2,63}$",  # §2.1
    }),
    ("2024-04-01", {  # MoneyPrinterTurbo#208; MoonshotAI-Cookbook#18
        "rpm": "max request per minute reached: {limit}, please try again after {retry_after} seconds",
        "token_limit": "model max length exceeded, max length:{context}",
    }),
    ("2024-05-01", {  # MoneyPrinterTurbo#339
        "rpm": "Your account {uid} request reached max request: {limit}, "
               "please try again after {retry_after} seconds",
    }),
    ("2025-03-01", {  # AstrBot#694
        "token_limit": "Invalid request: Your request exceeded model token limit: {context}",
    }),
    ("2025-07-01", {  # kimi-cc#16, Kimi-K2#34, Kimi-K2#5
        "concurrency": "Your account {org}<{ak}> request reached max organization concurrency: "
                       "{limit}, please try again after {retry_after} seconds",
        "rpm": "Your account {org}<{ak}> request reached organization max RPM: {limit}, "
               "please try again after {retry_after} seconds",
    }),
    ("2025-08-01", {  # kimi-cc#41
        "tpm": "Your account {org} / {proj} <{ak}> request reached project TPM rate limit, "
               "current: {current}, limit: {limit}, see https://platform.moonshot.cn/docs/pricing/limits",
    }),
    ("2025-11-01", {  # cc-switch#240, kimi-cli#1599
        "tpd": "Your account {org} / {proj} <{ak}> request reached organization TPD rate limit, "
               "current: {current}, limit: {limit}",
    }),
    ("2025-12-01", {  # BettaFish#524, continue#11443, opencode#24462
        "insufficient_balance": "Your account {org} <{ak}> is suspended due to insufficient "
                                "balance, please recharge your account or check your plan and "
                                "billing details",
        "quota_status": "429",
    }),
    ("2026-09-12", {  # the 2026 chat, Messages and Responses pages (§17.4; dated by [REV])
        "tool_name_pattern": "^[a-zA-Z_][a-zA-Z0-9-_]{0,127}$",
    }),
)

_STARTS = tuple(date.fromisoformat(start).toordinal() - _EPOCH_ORDINAL for start, _ in ERAS)


@cache
def _merged(count: int) -> Mapping[str, str]:
    texts: dict[str, str] = {}
    for _, changes in ERAS[:max(1, count)]:
        texts.update(changes)
    return texts


def texts_on(day: int | None) -> Mapping[str, str]:
    """The error texts of the API on `day` (days since the epoch); None: the newest."""
    return _merged(len(ERAS) if day is None else bisect_right(_STARTS, day))


NEWEST = texts_on(None)
REJECTION_TEXTS: Mapping[str, str] = {k: NEWEST[k] for k in ("concurrency", "rpm", "tpm", "tpd")}
INSUFFICIENT_BALANCE_TEXT = NEWEST["insufficient_balance"]
