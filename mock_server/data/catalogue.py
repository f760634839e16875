"""The model catalogue, loaded once from data (`data/models.yaml` or a configured file).

Each model carries its lifecycle (`available_from`, `discontinued`, as days since the epoch):
`Catalogue.on(day)` is the API of that day, with the models that existed then and the error
texts of that era (`messages.texts_on`). The views are made once per day and kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mock_server.clock import epoch_day
from mock_server.data import DATA_DIR
from mock_server.data.yaml_load import load_yaml_cached
from mock_server.messages import texts_on

SAMPLING_PARAMETERS = ("temperature", "top_p", "presence_penalty", "frequency_penalty")
LISTED_FIELDS = ("id", "object", "created", "owned_by", "context_length",
                 "supports_image_in", "supports_video_in", "supports_reasoning")


@dataclass(frozen=True)
class Model:
    id: str
    family: str
    context_length: int
    owned_by: str
    created: int
    rules: Mapping[str, Any] = field(default_factory=dict)
    price: Mapping[str, float] = field(default_factory=dict)
    batch_price: Mapping[str, float] = field(default_factory=dict)  # empty: no Batch API
    supports_image_in: bool = False
    supports_video_in: bool = False
    router: bool = False
    available_from: int | None = None  # first day (days since the epoch) it is served
    discontinued: int | None = None  # first day it answers 404
    # read for every chat request: taken from `rules` once
    reasoning: str = field(init=False, repr=False, compare=False)  # none | always | switchable
    default_max_tokens: int = field(init=False, repr=False, compare=False)
    fixed_parameters: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rules = self.rules
        object.__setattr__(self, "reasoning", str(rules.get("reasoning", "none")))
        object.__setattr__(self, "default_max_tokens", int(rules.get("default_max_tokens", 1024)))
        object.__setattr__(self, "fixed_parameters", tuple(  # a value fixed, or set by thinking
            name for name in SAMPLING_PARAMETERS if {"fixed", "thinking"} & set(rules.get(name) or ())))

    def serving_day(self) -> int | None:
        """A day this model is served: its last day before discontinuation, else its first."""
        if self.discontinued is not None:
            return self.discontinued - 1
        return self.available_from

    def served_on(self, day: int) -> bool:
        return ((self.available_from is None or self.available_from <= day)
                and (self.discontinued is None or day < self.discontinued))

    @property
    def supports_reasoning(self) -> bool:
        return self.reasoning != "none"

    def listing(self) -> dict[str, Any]:
        """The model as `GET /v1/models` lists it."""
        return {
            "id": self.id, "object": "model", "created": self.created, "owned_by": self.owned_by,
            "context_length": self.context_length, "supports_image_in": self.supports_image_in,
            "supports_video_in": self.supports_video_in,
            "supports_reasoning": self.supports_reasoning,
        }


@dataclass(frozen=True)
class Catalogue:
    """The models served on `day` (None: every model of the data, whatever its dates) and the
    error texts of that day's API."""

    models: Mapping[str, Model]
    currency: str = "USD"
    day: int | None = None
    texts: Mapping[str, str] = field(default_factory=lambda: texts_on(None))
    tool_prices: Mapping[str, float] = field(default_factory=dict)  # per web-tool call
    _views: dict[int, Catalogue] = field(default_factory=dict, repr=False, compare=False)

    def get(self, model_id: str) -> Model | None:
        return self.models.get(model_id)

    def listing(self) -> dict[str, Any]:
        return {"object": "list", "data": [m.listing() for m in self.models.values()]}

    def on(self, day: int) -> Catalogue:
        """The API as of `day`: the models served then, the texts of then (made once a day)."""
        view = self._views.get(day)
        if view is None:
            served = {key: m for key, m in self.models.items() if m.served_on(day)}
            view = self._views[day] = Catalogue(served, self.currency, day, texts_on(day),
                                                self.tool_prices)
        return view


def load_catalogue(path: Path | None = None) -> Catalogue:
    text = Path(DATA_DIR / "models.yaml" if path is None else path).read_text("utf-8")
    return parse_catalogue(load_yaml_cached(text))


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    families: Mapping[str, Mapping[str, Any]] = data.get("families", {})
    batch_prices: Mapping[str, Mapping[str, float]] = data.get("batch_prices") or {}
    models: dict[str, Model] = {}
    for entry in data["models"]:
        merged = {**families.get(entry.get("family", ""), {}), **entry}
        rules = {k: v for k, v in merged.items() if k not in _MODEL_KEYS}
        models[merged["id"]] = Model(
            id=merged["id"], family=merged.get("family", merged["id"]),
            context_length=int(merged["context_length"]),
            owned_by=merged.get("owned_by", "moonshot"), created=int(merged.get("created", 0)),
            rules=rules, price=merged.get("price", {}),
            batch_price=batch_prices.get(merged["id"], merged.get("batch_price", {})),
            supports_image_in=bool(merged.get("supports_image_in", False)),
            supports_video_in=bool(merged.get("supports_video_in", False)),
            router=bool(merged.get("router", False)),
            available_from=_day(merged, "available_from"),
            discontinued=_day(merged, "discontinued"),
        )
    return Catalogue(models=models, currency=str(data.get("currency", "USD")),
                     tool_prices={k: float(v) for k, v in (data.get("tool_prices") or {}).items()})


def _day(entry: Mapping[str, Any], name: str) -> int | None:
    value = entry.get(name)
    if value is None:
        return None
    try:
        return epoch_day(str(value))
    except ValueError as exc:
        raise ValueError(f"model {entry.get('id')!r}: {name} must be a date YYYY-MM-DD, "
                         f"got {value!r}") from exc


_MODEL_KEYS = {"id", "family", "context_length", "owned_by", "created", "price", "batch_price",
               "price_source", "supports_image_in", "supports_video_in", "router",
               "available_from", "discontinued", "date_source"}
