"""Plausible values for a property by its name and format: `city` a city, `email` an email,
`population` a large integer, `created_at` a date-time.

Faker is slow per call, so each kind of value is drawn from a small table made once from a
seeded Faker (64 entries a kind); a reply then only picks from the tables with its own rng.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import cache

TABLE_SIZE = 64
_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# name word -> faker method (English)
TEXT_KINDS = {
    "city": "city", "town": "city", "country": "country", "state": "state",
    "street": "street_address", "address": "address", "company": "company",
    "organization": "company", "name": "name", "author": "name", "first": "first_name",
    "firstname": "first_name", "last": "last_name", "lastname": "last_name",
    "surname": "last_name", "username": "user_name", "email": "email", "phone": "phone_number",
    "url": "url", "website": "url", "link": "url", "title": "sentence", "job": "job",
    "color": "color_name", "colour": "color_name", "language": "language_name",
    "currency": "currency_code", "zip": "postcode", "postcode": "postcode",
    "postal": "postcode", "description": "sentence", "summary": "sentence",
    "comment": "sentence", "message": "sentence", "text": "sentence", "query": "words3",
    "keyword": "word", "tag": "word", "category": "word", "unit": "unit", "timezone": "timezone",
    "ip": "ipv4", "host": "domain_name", "hostname": "domain_name", "domain": "domain_name",
    "uuid": "uuid4", "date": "date", "time": "time", "datetime": "iso8601",
    "timestamp": "iso8601", "at": "iso8601", "reason": "sentence", "content": "sentence",
}
FORMATS = {"date": "date", "date-time": "iso8601", "time": "time", "email": "email",
           "idn-email": "email", "uri": "url", "url": "url", "iri": "url",
           "uri-reference": "url", "uuid": "uuid4", "ipv4": "ipv4", "ipv6": "ipv6",
           "hostname": "domain_name", "idn-hostname": "domain_name"}
# name word -> (low, high) for numbers
NUMBER_RANGES = {
    "population": (10_000, 20_000_000), "age": (18, 90), "year": (1950, 2030),
    "month": (1, 12), "day": (1, 28), "hour": (0, 23), "minute": (0, 59), "second": (0, 59),
    "count": (1, 50), "quantity": (1, 20), "price": (1, 500), "amount": (1, 1000),
    "cost": (1, 500), "total": (1, 1000), "score": (0, 100), "rating": (1, 5),
    "percent": (0, 100), "percentage": (0, 100), "temperature": (-10, 35), "temp": (-10, 35),
    "latitude": (-90, 90), "lat": (-90, 90), "longitude": (-180, 180), "lon": (-180, 180),
    "lng": (-180, 180), "confidence": (0, 1), "probability": (0, 1), "page": (1, 20),
    "limit": (1, 100), "size": (1, 100), "width": (100, 1920), "height": (100, 1080),
    "duration": (1, 3600), "days": (1, 30), "id": (1, 99_999), "number": (1, 100),
}


def name_words(name: str) -> list[str]:
    return [w for w in _SPLIT.split(_CAMEL.sub("_", name).lower()) if w]


@cache
def _table(kind: str) -> tuple[str, ...]:
    from faker import Faker  # imported on first use of a table

    fake = Faker("en_US")
    fake.seed_instance(TABLE_SIZE)
    make: Callable[[], object]
    if kind == "words3":
        make = lambda: " ".join(fake.words(3))  # noqa: E731
    elif kind == "sentence":
        make = lambda: fake.sentence(nb_words=8)  # noqa: E731
    elif kind == "unit":
        return ("celsius", "fahrenheit", "metric", "imperial")
    elif kind == "uuid4":
        make = lambda: str(fake.uuid4())  # noqa: E731
    elif kind in ("date", "time", "iso8601"):
        make = lambda: _dates(fake, kind)  # noqa: E731
    else:
        make = getattr(fake, kind)
    return tuple(str(make()).replace("\n", ", ") for _ in range(TABLE_SIZE))


def _dates(fake: object, kind: str) -> str:
    moment = fake.date_time_between(start_date="-3y", end_date="+1y")  # type: ignore[attr-defined]
    if kind == "date":
        return str(moment.date().isoformat())
    if kind == "time":
        return str(moment.time().replace(microsecond=0).isoformat()) + "Z"
    return str(moment.replace(microsecond=0).isoformat()) + "Z"


def text_for(rng: random.Random, name: str, fmt: str | None) -> str | None:
    """A plausible string for a property called `name` (or of format `fmt`), or None."""
    kind = FORMATS.get(fmt or "")
    if kind is None:
        found = [TEXT_KINDS[w] for w in reversed(name_words(name)) if w in TEXT_KINDS]
        kind = found[0] if found else None
    if kind is None:
        return None
    table = _table(kind)
    return table[rng.randrange(len(table))]


def number_range(name: str) -> tuple[int, int] | None:
    for word in reversed(name_words(name)):
        if word in NUMBER_RANGES:
            return NUMBER_RANGES[word]
    return None
