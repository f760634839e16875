"""The errors a fault can inject, by name, with the real API's status, type and message.

Messages are the literal texts of real captures (reference §9.3) or, where none exists, the
documented template (§9.2). `{org}`, `{proj}`, `{ak}` and `{model}` are filled per request from
the caller's account, key id and requested model, so a message looks like the real one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mock_server.errors import STATUS_BY_TYPE
from mock_server.messages import INSUFFICIENT_BALANCE_TEXT, REJECTION_TEXTS


@dataclass(frozen=True)
class ErrorFault:
    status: int
    type: str
    message: str  # may hold {org}, {proj}, {ak}, {model}


def _e(type_: str, message: str, status: int | None = None) -> ErrorFault:
    return ErrorFault(status or STATUS_BY_TYPE[type_], type_, message)


def _limit_text(kind: str, **numbers: int) -> str:
    """The limiter's own text with a real capture's numbers; account ids stay placeholders."""
    text = REJECTION_TEXTS[kind]
    for name, value in numbers.items():
        text = text.replace("{" + name + "}", str(value))
    return text


_RATE = "rate_limit_reached_error"
_QUOTA = "exceeded_current_quota_error"

NAMED_ERRORS: Mapping[str, ErrorFault] = {
    "invalid_request": _e("invalid_request_error", "Invalid request: rejected by X-Mock-Fault"),
    "content_filter": _e(
        "content_filter", "The request was rejected because it was considered high risk"),
    "invalid_authentication": _e("invalid_authentication_error", "Invalid Authentication"),
    "incorrect_api_key": _e("incorrect_api_key_error", "Incorrect API key provided"),
    "permission_denied": _e("permission_denied_error", "The API you are accessing is not open"),
    "quota_inactive": _e(
        _QUOTA, "Your account {org}<{ak}> is not active, organization <{org}> exceeded current "
        "quota, please check your plan and billing details", status=403),
    "not_found": _e("resource_not_found_error", "Not found the model {model} or Permission denied"),
    "rate_limit_concurrency": _e(_RATE, _limit_text("concurrency", limit=1, retry_after=1)),
    "rate_limit_rpm": _e(_RATE, _limit_text("rpm", limit=3, retry_after=1)),
    "rate_limit_tpm": _e(
        _RATE, "Your account {org} / {proj} <{ak}> request reached project TPM rate limit, "
        "current: 1410, limit: 100, see https://platform.moonshot.cn/docs/pricing/limits"),
    "rate_limit_tpd": _e(_RATE, _limit_text("tpd", limit=1500000, current=1526210)),
    "quota": _e(_QUOTA, INSUFFICIENT_BALANCE_TEXT),
    "engine_overloaded": _e(
        "engine_overloaded_error", "The engine is currently overloaded, please try again later"),
    "server_error": _e("server_error", "Internal server error, please try again later"),
    "unexpected_output": _e("unexpected_output", "invalid state transition"),
    # 503: the 2026 docs give only a paraphrase; this text is UNCERTAIN.
    "server_unavailable": _e(
        "server_unavailable", "The service is temporarily unavailable, please try again later"),
}

# The real type names work too: `error=engine_overloaded_error`.
TYPE_ALIASES: Mapping[str, str] = {
    "invalid_request_error": "invalid_request",
    "invalid_authentication_error": "invalid_authentication",
    "incorrect_api_key_error": "incorrect_api_key",
    "permission_denied_error": "permission_denied",
    "resource_not_found_error": "not_found",
    "rate_limit_reached_error": "rate_limit_rpm",
    "exceeded_current_quota_error": "quota",
    "engine_overloaded_error": "engine_overloaded",
}

# Bare statuses, as scenarios write them (`429,429,ok`).
STATUS_SHORTCUTS: Mapping[int, str] = {
    400: "invalid_request",
    401: "invalid_authentication",
    403: "permission_denied",
    404: "not_found",
    429: "rate_limit_rpm",
    500: "server_error",
    503: "server_unavailable",
}


def named_error(name: str) -> ErrorFault | None:
    return NAMED_ERRORS.get(TYPE_ALIASES.get(name, name))


def default_for_type(type_: str) -> ErrorFault | None:
    """The preset whose type is `type_`, for `type=…` without `message=`."""
    return next((e for e in NAMED_ERRORS.values() if e.type == type_), None)


def render_message(error: ErrorFault, *, org: str, proj: str, ak: str, model: str) -> str:
    return (error.message.replace("{org}", org).replace("{proj}", proj)
            .replace("{ak}", ak).replace("{model}", model))
