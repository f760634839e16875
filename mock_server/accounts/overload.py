"""Engine overload on purpose: by a schedule of inference request numbers, or a seeded chance.

The real API answers 429 `engine_overloaded_error` when a serving node is overloaded; it is not
the caller's fault, so it comes after admission (the request still counts against RPM).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mock_server.errors import MoonshotError
from mock_server.settings import ConfigError

OVERLOADED = "The engine is currently overloaded, please try again later"


def parse_schedule(text: str) -> frozenset[int]:
    """`1,2,5-7`: the 1-based numbers of the inference requests that are overloaded."""
    numbers: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, sep, high = part.partition("-")
        try:
            first, last = int(low), int(high if sep else low)
        except ValueError:
            raise ConfigError(f"overload_schedule has a bad entry: {part!r}") from None
        if first < 1 or last < first or last - first > 1_000_000:
            raise ConfigError(f"overload_schedule has a bad range: {part!r}")
        numbers.update(range(first, last + 1))
    return frozenset(numbers)


@dataclass
class OverloadPlan:
    probability: float = 0.0
    schedule: frozenset[int] = frozenset()
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    count: int = 0

    @classmethod
    def build(cls, probability: float, schedule: str, seed: int) -> OverloadPlan:
        if not 0.0 <= probability <= 1.0:
            raise ConfigError(f"overload_probability must be within [0, 1], got {probability!r}")
        return cls(probability, parse_schedule(schedule), random.Random(f"overload:{seed}"))

    def hit(self) -> bool:
        """Whether the next inference request is overloaded (consumes one draw)."""
        self.count += 1
        chance = self.rng.random() if self.probability else 1.0
        return self.count in self.schedule or chance < self.probability


def engine_overloaded() -> MoonshotError:
    return MoonshotError("engine_overloaded_error", OVERLOADED)
