"""Running a formula's function (`POST /v1/formulas/{uri}/fibers`): what can honestly run
offline runs (unit conversion, the date on the API clock, Base64, a seeded random choice, the
account's memory, the seeded web page), the rest answers deterministically. Each runner takes
the parsed arguments and the run's context and returns the output text; a `FiberFailed` is a
fiber with status `failed`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from mock_server.tools.formulas import Formula
from mock_server.tools.pages import fetched
from mock_server.tools.time_runner import run_date
from mock_server.tools.units import convert_units

MEWS = ("Meow~", "Mrrp?", "Nya!", "Purr... meow.", "Mew mew!", "Mrow!")
BLESSINGS = ("May your code compile on the first try.", "May your tests stay green.",
             "Wishing you a calm and sunny day.", "May every request find its answer.",
             "愿你今天一切顺利。", "祝你心想事成。")


class FiberFailed(Exception):
    """A run that fails: the fiber's status is `failed`, its context carries the reason."""


@dataclass
class FiberContext:
    seed: int
    now: float  # the API clock, Unix seconds
    memory: dict[str, str] = field(default_factory=dict)  # the account's


def _draws(context: FiberContext, arguments: Mapping[str, Any]) -> random.Random:
    material = orjson.dumps(arguments, option=orjson.OPT_SORT_KEYS)
    return random.Random(hashlib.blake2b(material, key=b"%d:fiber" % context.seed).digest())


def _random_choice(arguments: Mapping[str, Any], context: FiberContext) -> str:
    options, count = list(arguments["options"]), int(arguments.get("count") or 1)
    if not options or count < 1:
        raise FiberFailed("options must be a non-empty list and count at least 1")
    rng = _draws(context, arguments)
    if arguments.get("allow_duplicates"):
        return orjson.dumps(rng.choices(options, k=count)).decode()
    if count > len(options):
        raise FiberFailed(f"count {count} is more than the {len(options)} options; "
                          "set allow_duplicates to true")
    return orjson.dumps(rng.sample(options, count)).decode()


def _mew(arguments: Mapping[str, Any], context: FiberContext) -> str:
    rng = _draws(context, arguments)
    return f"{rng.choice(MEWS)} {rng.choice(BLESSINGS)}"


def _memory(arguments: Mapping[str, Any], context: FiberContext) -> str:
    action, key = arguments["action"], arguments.get("key")
    memory = context.memory
    if action == "list":
        return orjson.dumps(sorted(memory)).decode()
    if not isinstance(key, str) or not key:
        raise FiberFailed(f"memory {action} needs a key")
    if action == "store":
        memory[key] = str(arguments.get("value", ""))
        return f"stored {key}"
    if action == "delete":
        return f"deleted {key}" if memory.pop(key, None) is not None else f"no memory {key}"
    if key not in memory:
        raise FiberFailed(f"no memory {key}")
    return memory[key]


def _base64(name: str) -> Callable[[Mapping[str, Any], FiberContext], str]:
    def run(arguments: Mapping[str, Any], context: FiberContext) -> str:
        data = str(arguments["data"])
        if name == "base64_encode":
            return base64.b64encode(data.encode()).decode("ascii")
        try:
            return base64.b64decode(data, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise FiberFailed(f"not Base64 of UTF-8 text ({exc})") from None
    return run


def _fetch(arguments: Mapping[str, Any], context: FiberContext) -> str:
    url = str(arguments["url"])
    if not url.startswith(("http://", "https://")):
        raise FiberFailed("only http and https URLs can be fetched")
    page = fetched(context.seed, url)
    return f"# {page['title']}\n\n{page['markdown']}"


def _web_search(arguments: Mapping[str, Any], context: FiberContext) -> str:
    """An opaque, deterministic stand-in for the encrypted results (passed to the model as is)."""
    digest = hashlib.blake2b(orjson.dumps(arguments, option=orjson.OPT_SORT_KEYS),
                             digest_size=48, key=b"%d:web_search" % context.seed).digest()
    sealed = base64.b64encode(digest * 4).decode()
    return f"----MOONSHOT ENCRYPTED BEGIN----{sealed}----MOONSHOT ENCRYPTED END----"


def _canned(name: str) -> Callable[[Mapping[str, Any], FiberContext], str]:
    """Tools the fake does not run (code, spreadsheets, reflection): a fixed answer that says
    so, the same for the same arguments."""
    def run(arguments: Mapping[str, Any], context: FiberContext) -> str:
        note = f"{name} is not run by moonshot-mock; this is a fixed answer"
        return orjson.dumps({"tool": name, "arguments": arguments, "output": note},
                            option=orjson.OPT_SORT_KEYS).decode()
    return run


def runner(kind: str, name: str) -> Callable[[Mapping[str, Any], FiberContext], str]:
    runners: Mapping[str, Callable[[Mapping[str, Any], FiberContext], str]] = {
        "convert": lambda a, c: convert_units(a, FiberFailed),
        "date": lambda a, c: run_date(a, c.now, FiberFailed),
        "random_choice": _random_choice, "mew": _mew, "memory": _memory, "fetch": _fetch,
        "web_search": _web_search,
    }
    if kind == "base64":
        return _base64(name)
    return runners.get(kind) or _canned(name)


def _arguments(raw: Any) -> Mapping[str, Any]:
    """The arguments as the model wrote them (a JSON string), or already an object; anything
    else fails the run (the function receives what it cannot read)."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw or "{}")
        except orjson.JSONDecodeError:
            raise FiberFailed("arguments are not JSON (give the tool call's arguments as they "
                              "are)") from None
    if not isinstance(raw, dict):
        raise FiberFailed("arguments must be a JSON object")
    return raw


def run_fiber(formula: Formula, body: Mapping[str, Any],
              context: FiberContext) -> tuple[str, dict[str, Any]]:
    """The run's status and the fiber's `context` (its input, and output, encrypted output or
    error). An unknown function is a 404; arguments it cannot read fail the run."""
    name = body["name"]
    function = formula.function(name)
    recorded = {"input": orjson.dumps({"name": name, "arguments": body.get("arguments")}).decode()}
    required = (function.get("parameters") or {}).get("required") or ()
    try:
        arguments = _arguments(body.get("arguments"))
        missing = [key for key in required if key not in arguments]
        if missing:
            raise FiberFailed(f"missing required argument {missing[0]}")
        output = runner(formula.run, name)(arguments, context)
    except FiberFailed as exc:
        return "failed", {**recorded, "error": str(exc)}
    except (TypeError, ValueError, OverflowError) as exc:
        return "failed", {**recorded, "error": f"bad arguments ({exc})"}
    return "succeeded", {**recorded, ("encrypted_output" if formula.protected else "output"): output}
