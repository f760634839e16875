"""Unit conversion for the `convert` formula: units of one kind convert through a base unit
(temperature through kelvin, with offsets). Currency needs live rates and is refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# unit -> (kind, factor to the kind's base unit)
FACTORS: Mapping[str, tuple[str, float]] = {
    **{u: ("length", f) for u, f in (("m", 1), ("km", 1e3), ("cm", 1e-2), ("mm", 1e-3),
                                     ("mi", 1609.344), ("yd", 0.9144), ("ft", 0.3048),
                                     ("in", 0.0254), ("nmi", 1852))},
    **{u: ("mass", f) for u, f in (("kg", 1), ("g", 1e-3), ("mg", 1e-6), ("t", 1e3),
                                   ("lb", 0.45359237), ("oz", 0.028349523125), ("jin", 0.5))},
    **{u: ("volume", f) for u, f in (("l", 1), ("ml", 1e-3), ("m3", 1e3), ("gal", 3.785411784),
                                     ("qt", 0.946352946), ("cup", 0.2365882365))},
    **{u: ("area", f) for u, f in (("m2", 1), ("km2", 1e6), ("ha", 1e4), ("acre", 4046.8564224),
                                   ("ft2", 0.09290304), ("mu", 666.6666666667))},
    **{u: ("time", f) for u, f in (("s", 1), ("ms", 1e-3), ("min", 60), ("h", 3600),
                                   ("day", 86400), ("week", 604800))},
    **{u: ("energy", f) for u, f in (("j", 1), ("kj", 1e3), ("cal", 4.184), ("kcal", 4184),
                                     ("wh", 3600), ("kwh", 3.6e6))},
    **{u: ("pressure", f) for u, f in (("pa", 1), ("kpa", 1e3), ("bar", 1e5), ("atm", 101325),
                                       ("psi", 6894.757293168), ("mmhg", 133.322387415))},
    **{u: ("speed", f) for u, f in (("m/s", 1), ("km/h", 1 / 3.6), ("mph", 0.44704),
                                    ("knot", 0.514444444))},
}
TEMPERATURES = {"c": "celsius", "celsius": "celsius", "f": "fahrenheit",
                "fahrenheit": "fahrenheit", "k": "kelvin", "kelvin": "kelvin"}
CURRENCIES = {"usd", "cny", "rmb", "eur", "jpy", "gbp", "hkd", "krw"}


def _kelvin(value: float, unit: str) -> float:
    return {"celsius": value + 273.15, "fahrenheit": (value - 32) * 5 / 9 + 273.15,
            "kelvin": value}[unit]


def _from_kelvin(value: float, unit: str) -> float:
    return {"celsius": value - 273.15, "fahrenheit": (value - 273.15) * 9 / 5 + 32,
            "kelvin": value}[unit]


def convert_units(arguments: Mapping[str, Any], failed: Callable[[str], Exception]) -> str:
    value = float(arguments["value"])
    source, target = str(arguments["from_unit"]).lower(), str(arguments["to_unit"]).lower()
    if source in TEMPERATURES and target in TEMPERATURES:
        result = _from_kelvin(_kelvin(value, TEMPERATURES[source]), TEMPERATURES[target])
    elif source in FACTORS and target in FACTORS:
        (kind, factor), (other, to) = FACTORS[source], FACTORS[target]
        if kind != other:
            raise failed(f"cannot convert {kind} ({source}) to {other} ({target})")
        result = value * factor / to
    elif {source, target} & CURRENCIES:
        raise failed("currency conversion needs live exchange rates, which moonshot-mock does not have")
    else:
        unknown = source if source not in FACTORS and source not in TEMPERATURES else target
        raise failed(f"unknown unit {unknown}")
    return f"{value:g} {arguments['from_unit']} = {round(result, 6):g} {arguments['to_unit']}"
