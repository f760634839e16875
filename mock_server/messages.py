"""Texts of the real API's account errors, shared by the limiter, billing and fault presets.

Placeholders: `{org}` (org id), `{proj}` (project id), `{ak}` (key id), and the figures
`{limit}`, `{current}`, `{retry_after}`. Wording: the newest real captures (reference §9.3).
"""

from __future__ import annotations

from collections.abc import Mapping

REJECTION_TEXTS: Mapping[str, str] = {
    "concurrency": "Your account {org}<{ak}> request reached max organization concurrency: "
                   "{limit}, please try again after {retry_after} seconds",
    "rpm": "Your account {org}<{ak}> request reached organization max RPM: {limit}, "
           "please try again after {retry_after} seconds",
    "tpm": "Your account {org} / {proj} <{ak}> request reached organization TPM rate limit, "
           "current: {current}, limit: {limit}",
    "tpd": "Your account {org} / {proj} <{ak}> request reached organization TPD rate limit, "
           "current: {current}, limit: {limit}",
}

INSUFFICIENT_BALANCE_TEXT = (
    "Your account {org} <{ak}> is suspended due to insufficient balance, please "
    "recharge your account or check your plan and billing details")
