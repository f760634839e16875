"""The `date` formula on the API clock: now, format, add days, the days between two dates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone(arguments: Mapping[str, Any], failed: Callable[[str], Exception]) -> Any:
    name = str(arguments.get("timezone") or "UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise failed(f"unknown time zone {name}") from None


def _moment(text: Any, now: float, zone: Any, failed: Callable[[str], Exception]) -> datetime:
    if not text:
        return datetime.fromtimestamp(now, UTC).astimezone(zone)
    try:
        moment = datetime.fromisoformat(str(text))
    except ValueError:
        raise failed(f"not an ISO 8601 date: {text}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def run_date(arguments: Mapping[str, Any], now: float, failed: Callable[[str], Exception]) -> str:
    zone = _zone(arguments, failed)
    moment = _moment(arguments.get("date"), now, zone, failed)
    operation = arguments["operation"]
    if operation == "add":
        return (moment + timedelta(days=float(arguments.get("days") or 0))).isoformat()
    if operation == "diff":
        other = _moment(arguments.get("other"), now, zone, failed)
        return f"{(other - moment).total_seconds() / 86400:g} days"
    if operation == "format":
        return moment.strftime(str(arguments.get("format") or "%Y-%m-%d %H:%M:%S"))
    return moment.isoformat()
