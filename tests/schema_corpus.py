"""A corpus of JSON Schemas in the styles clients send: Pydantic v2 models (titles, `$defs`,
`anyOf` with null, enums as `$defs`), Zod exports (draft-07, `additionalProperties: false`),
OpenAI function examples and strict mode, and hand-written draft 4 / 2020-12 schemas.

`CORPUS` lists (name, schema): the base schemas below, and each in the shapes a client wraps
them in (strict function parameters, a Pydantic model nesting it under `$defs`, a list of it).
"""

from __future__ import annotations

import copy
from typing import Any

import orjson

S = dict[str, Any]


def obj(required: list[str] | None = None, strict: bool = False, **properties: Any) -> S:
    schema: S = {"type": "object", "properties": properties}
    if required is not None:
        schema["required"] = required
    if strict:
        schema["additionalProperties"] = False
    return schema


STR: S = {"type": "string"}
INT: S = {"type": "integer"}
NUM: S = {"type": "number"}
BOOL: S = {"type": "boolean"}


def nullable(schema: S) -> S:
    return {"anyOf": [schema, {"type": "null"}], "default": None}


def arr(items: S, **bounds: Any) -> S:
    return {"type": "array", "items": items, **bounds}


def titled(title: str, schema: S) -> S:
    return {"title": title, **schema}


BASE: dict[str, S] = {
    # --- OpenAI function-calling examples and their common variations ----------------------
    "get_current_weather": obj(["location"], location={"type": "string", "description":
                               "The city and state, e.g. San Francisco, CA"},
                               unit={"type": "string", "enum": ["celsius", "fahrenheit"]}),
    "get_weather_strict": obj(["location", "units"], True, location=STR,
                              units={"type": ["string", "null"], "enum": ["c", "f", None]}),
    "get_delivery_date": obj(["order_id"], order_id={"type": "string",
                             "description": "The customer's order ID."}),
    "search_flights": obj(["origin", "destination", "date"], origin={"type": "string",
                          "pattern": "^[A-Z]{3}$"}, destination={"type": "string",
                          "pattern": "^[A-Z]{3}$"}, date={"type": "string", "format": "date"},
                          passengers={"type": "integer", "minimum": 1, "maximum": 9}),
    "send_email": obj(["to", "subject", "body"], to=arr({"type": "string", "format": "email"},
                      minItems=1), subject={"type": "string", "maxLength": 78},
                      body={"type": "string", "minLength": 1}, cc=arr({"type": "string",
                      "format": "email"})),
    "create_calendar_event": obj(["title", "start", "end"], title=STR, start={"type": "string",
                                 "format": "date-time"}, end={"type": "string",
                                 "format": "date-time"}, attendees=arr({"type": "string",
                                 "format": "email"}, uniqueItems=True), location=STR),
    "lookup_stock_price": obj(["ticker"], ticker={"type": "string", "pattern": "^[A-Z]{1,5}$"},
                              exchange={"type": "string", "enum": ["NYSE", "NASDAQ", "LSE"]}),
    "convert_currency": obj(["amount", "from", "to"], amount={"type": "number",
                            "exclusiveMinimum": 0}, **{"from": {"type": "string",
                            "pattern": "^[A-Z]{3}$"}, "to": {"type": "string",
                            "pattern": "^[A-Z]{3}$"}}),
    "run_sql": obj(["query"], query={"type": "string", "minLength": 10},
                   timeout_ms={"type": "integer", "minimum": 100, "maximum": 60000,
                               "multipleOf": 100}),
    "web_search": obj(["query"], query=STR, max_results={"type": "integer", "minimum": 1,
                      "maximum": 10, "default": 5}, site={"type": "string", "format": "hostname"}),
    "set_thermostat": obj(["temperature"], temperature={"type": "number", "minimum": 10,
                          "maximum": 30, "multipleOf": 0.5}, mode={"enum": ["heat", "cool",
                          "auto"]}),
    "translate_text": obj(["text", "target_language"], text=STR, target_language={
                          "type": "string", "enum": ["en", "zh", "ja", "fr", "de"]},
                          formality={"type": "string", "enum": ["formal", "informal"]}),
    "geocode": obj(["address"], address=STR, bounds=obj(["north", "south"], north={
                   "type": "number", "minimum": -90, "maximum": 90}, south={
                   "type": "number", "minimum": -90, "maximum": 90})),
    "book_restaurant": obj(["restaurant_id", "party_size", "time"], restaurant_id={
                           "type": "string", "format": "uuid"}, party_size={"type": "integer",
                           "exclusiveMinimum": 0, "exclusiveMaximum": 21}, time={
                           "type": "string", "format": "time"}, notes=nullable(STR)),
    "no_parameters": {"type": "object", "properties": {}},
    "empty_object": {"type": "object"},
    "file_search": obj(["paths"], paths=arr({"type": "string", "pattern": r"^/[\w/.-]+$"},
                       minItems=1, maxItems=5), recursive=BOOL),
    "kimi_search": obj(["keyword"], keyword={"type": "string", "description": "搜索关键词"},
                       count={"type": "integer", "description": "结果数量", "minimum": 1,
                              "maximum": 20}),
    "fetch_url": obj(["url"], url={"type": "string", "format": "uri"}, method={"const": "GET"},
                     headers={"type": "object", "additionalProperties": STR}),
    "ip_lookup": obj(["ip"], ip={"type": "string", "format": "ipv4"},
                     v6={"type": "string", "format": "ipv6"}),
    # --- Pydantic v2 model schemas ---------------------------------------------------------
    "pydantic_user": {"title": "User", "type": "object", "properties": {
        "id": {"title": "Id", "type": "integer"},
        "name": {"title": "Name", "type": "string", "minLength": 1, "maxLength": 50},
        "email": {"title": "Email", "type": "string", "format": "email"},
        "age": {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 150}, {"type": "null"}],
                "default": None, "title": "Age"},
        "tags": {"title": "Tags", "type": "array", "items": {"type": "string"}}},
        "required": ["id", "name", "email"]},
    "pydantic_nested_defs": {"$defs": {
        "Address": {"title": "Address", "type": "object", "properties": {
            "street": {"title": "Street", "type": "string"},
            "city": {"title": "City", "type": "string"},
            "zip": {"title": "Zip", "type": "string", "pattern": r"^\d{5}$"}},
            "required": ["street", "city", "zip"]},
        "Role": {"title": "Role", "enum": ["admin", "editor", "viewer"], "type": "string"}},
        "title": "Person", "type": "object", "properties": {
            "name": {"title": "Name", "type": "string"},
            "address": {"$ref": "#/$defs/Address"},
            "previous": {"title": "Previous", "type": "array",
                         "items": {"$ref": "#/$defs/Address"}},
            "role": {"$ref": "#/$defs/Role", "default": "viewer"}},
        "required": ["name", "address"]},
    "pydantic_recursive_tree": {"$defs": {"Node": {"title": "Node", "type": "object",
        "properties": {"value": {"title": "Value", "type": "integer"},
                       "children": {"title": "Children", "type": "array",
                                    "items": {"$ref": "#/$defs/Node"}}},
        "required": ["value", "children"]}},
        "$ref": "#/$defs/Node"},
    "pydantic_recursive_optional": {"$defs": {"Comment": {"type": "object", "properties": {
        "text": STR, "reply": {"anyOf": [{"$ref": "#/$defs/Comment"}, {"type": "null"}]}},
        "required": ["text", "reply"], "additionalProperties": False}},
        "type": "object", "properties": {"thread": {"$ref": "#/$defs/Comment"}},
        "required": ["thread"]},
    "pydantic_discriminated_union": {"$defs": {
        "Cat": {"type": "object", "properties": {"pet_type": {"const": "cat", "type": "string"},
                                                 "meows": INT}, "required": ["pet_type", "meows"]},
        "Dog": {"type": "object", "properties": {"pet_type": {"const": "dog", "type": "string"},
                                                 "barks": NUM}, "required": ["pet_type", "barks"]}},
        "type": "object", "properties": {"pet": {"oneOf": [{"$ref": "#/$defs/Cat"},
                                                           {"$ref": "#/$defs/Dog"}],
                                                 "discriminator": {"propertyName": "pet_type"}}},
        "required": ["pet"]},
    "pydantic_literal_and_decimal": obj(["status", "price"], status={"enum": ["ok", "error"],
                                        "type": "string"}, price={"anyOf": [{"type": "number"},
                                        {"type": "string", "pattern":
                                         r"^(?!^[-+.]*$)[+-]?0*\d*\.?\d*$"}]}),
    "pydantic_constr_conint": obj(["code", "level"], code={"type": "string", "minLength": 3,
                                  "maxLength": 3, "pattern": "^[A-Z]+$"}, level={
                                  "type": "integer", "ge": 1, "minimum": 1, "maximum": 5}),
    "pydantic_dict_field": obj(["scores"], scores={"type": "object", "additionalProperties":
                               {"type": "number", "minimum": 0, "maximum": 1}, "minProperties": 2}),
    "pydantic_tuple": obj(["point"], point={"type": "array", "prefixItems": [NUM, NUM],
                          "minItems": 2, "maxItems": 2}),
    "pydantic_set": obj(["ids"], ids={"type": "array", "items": INT, "uniqueItems": True,
                        "minItems": 3}),
    "pydantic_datetime_fields": obj(["created_at", "birthday"], created_at={"type": "string",
                                    "format": "date-time"}, birthday={"type": "string",
                                    "format": "date"}, token={"type": "string",
                                    "format": "uuid"}),
    "pydantic_all_of_ref": {"$defs": {"Base": obj(["id"], id=INT)}, "type": "object",
                            "properties": {"item": {"allOf": [{"$ref": "#/$defs/Base"}],
                                                    "description": "an item"}},
                            "required": ["item"]},
    "pydantic_enum_int": {"$defs": {"Priority": {"enum": [1, 2, 3], "title": "Priority",
                                                 "type": "integer"}},
                          "type": "object", "properties": {"priority": {
                              "$ref": "#/$defs/Priority"}}, "required": ["priority"]},
    "pydantic_union_types": obj(["value"], value={"anyOf": [INT, STR, arr(BOOL)]}),
    "pydantic_optional_list": obj(["items"], items=nullable(arr(obj(["sku", "qty"], sku=STR,
                                  qty={"type": "integer", "minimum": 1})))),
    # --- Zod (zod-to-json-schema) exports ---------------------------------------------------
    "zod_product": {"type": "object", "properties": {
        "name": {"type": "string", "minLength": 2}, "price": {"type": "number", "minimum": 0},
        "currency": {"type": "string", "enum": ["USD", "EUR", "CNY"]},
        "inStock": {"type": "boolean"}}, "required": ["name", "price", "currency", "inStock"],
        "additionalProperties": False, "$schema": "http://json-schema.org/draft-07/schema#"},
    "zod_nullable_union": {"type": "object", "properties": {
        "result": {"anyOf": [{"type": "object", "properties": {"ok": {"type": "boolean",
                   "const": True}, "data": {"type": "string"}}, "required": ["ok", "data"],
                   "additionalProperties": False}, {"type": "object", "properties": {
                   "ok": {"type": "boolean", "const": False}, "error": {"type": "string"}},
                   "required": ["ok", "error"], "additionalProperties": False}]}},
        "required": ["result"], "additionalProperties": False,
        "$schema": "http://json-schema.org/draft-07/schema#"},
    "zod_definitions": {"$ref": "#/definitions/Recipe", "definitions": {"Recipe": {
        "type": "object", "properties": {"title": {"type": "string"},
        "ingredients": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "grams": {"type": "number", "exclusiveMinimum": 0}},
            "required": ["name", "grams"], "additionalProperties": False}, "minItems": 1},
        "steps": {"type": "array", "items": {"type": "string"}, "maxItems": 10}},
        "required": ["title", "ingredients", "steps"], "additionalProperties": False}},
        "$schema": "http://json-schema.org/draft-07/schema#"},
    "zod_record": {"type": "object", "additionalProperties": {"type": "integer",
                   "minimum": 0}, "$schema": "http://json-schema.org/draft-07/schema#"},
    "zod_tuple_draft7": {"type": "object", "properties": {"range": {"type": "array",
                         "minItems": 2, "maxItems": 2, "items": [{"type": "integer"},
                         {"type": "integer"}]}}, "required": ["range"],
                         "$schema": "http://json-schema.org/draft-07/schema#"},
    "zod_string_checks": {"type": "object", "properties": {
        "slug": {"type": "string", "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$"},
        "hex": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
        "short": {"type": "string", "maxLength": 5},
        "long": {"type": "string", "minLength": 40},
        "site": {"type": "string", "format": "uri"}},
        "required": ["slug", "hex", "short", "long", "site"], "additionalProperties": False},
    "zod_number_checks": {"type": "object", "properties": {
        "positive": {"type": "number", "exclusiveMinimum": 0},
        "negative": {"type": "number", "exclusiveMaximum": 0},
        "int_step": {"type": "integer", "multipleOf": 5, "minimum": 10, "maximum": 50},
        "ratio": {"type": "number", "minimum": 0, "maximum": 1}},
        "required": ["positive", "negative", "int_step", "ratio"]},
    # --- draft 4 and hand-written ---------------------------------------------------------
    "draft4_exclusive_flags": {"$schema": "http://json-schema.org/draft-04/schema#", **obj(
                                  ["n", "x"], n={"type": "integer", "minimum": 0,
                                  "exclusiveMinimum": True, "maximum": 10,
                                  "exclusiveMaximum": True}, x={"type": "number",
                                  "minimum": 1.5, "exclusiveMinimum": True})},
    "type_list_nullable": obj(["a", "b"], a={"type": ["string", "null"]},
                              b={"type": ["integer", "null"], "minimum": 5}),
    "one_of_exclusive_numbers": obj(["v"], v={"oneOf": [{"type": "integer"},
                                    {"type": "string", "format": "date"}]}),
    "one_of_overlapping": obj(["v"], v={"oneOf": [{"type": "number", "multipleOf": 1},
                              {"type": "string"}]}),
    "any_of_unsatisfiable_first": obj(["v"], v={"anyOf": [{"not": {}}, {"type": "string",
                                      "minLength": 2}]}),
    "any_of_impossible_range_first": obj(["v"], v={"anyOf": [{"type": "integer",
                                         "minimum": 10, "maximum": 1}, INT]}),
    "all_of_merge": {"allOf": [obj(["a"], a=STR), obj(["b"], b=INT),
                               {"properties": {"a": {"maxLength": 4}}}]},
    "all_of_bounds": obj(["v"], v={"allOf": [{"type": "integer", "minimum": 5},
                                             {"maximum": 8}]}),
    "pattern_properties": {"type": "object", "patternProperties": {
        "^x-[a-z]+$": {"type": "string"}}, "additionalProperties": False, "minProperties": 1},
    "min_properties_open": {"type": "object", "minProperties": 3},
    "max_properties": {"type": "object", "properties": {"a": INT, "b": INT, "c": INT, "d": INT},
                       "required": ["a"], "maxProperties": 2},
    "const_object": {"const": {"kind": "fixed", "n": 1}},
    "enum_mixed": obj(["v"], v={"enum": ["a", 1, None, True]}),
    "array_of_arrays": obj(["grid"], grid=arr(arr(INT, minItems=3, maxItems=3), minItems=3,
                           maxItems=3)),
    "unique_enum_items": obj(["days"], days=arr({"enum": ["mon", "tue", "wed", "thu", "fri"]},
                             uniqueItems=True, minItems=2, maxItems=5)),
    "deep_nesting": obj(["a"], a=obj(["b"], b=obj(["c"], c=obj(["d"], d=obj(["e"], e=STR))))),
    "ref_root_recursion": {"type": "object", "properties": {"name": STR,
                           "parent": {"anyOf": [{"$ref": "#"}, {"type": "null"}]}},
                           "required": ["name", "parent"]},
    "ref_with_siblings": {"$defs": {"Id": {"type": "string", "minLength": 4}},
                          "type": "object", "properties": {"id": {"$ref": "#/$defs/Id",
                          "maxLength": 8}}, "required": ["id"]},
    "ref_escaped_pointer": {"$defs": {"a/b": {"type": "integer", "minimum": 3},
                                      "t~n": {"type": "string", "enum": ["x"]}},
                            "type": "object", "properties": {
                                "p": {"$ref": "#/$defs/a~1b"}, "q": {"$ref": "#/$defs/t~0n"}},
                            "required": ["p", "q"]},
    "typeless_properties": {"properties": {"name": {"description": "anything"},
                            "count": {"minimum": 2, "maximum": 4}}, "required": ["name"]},
    "boolean_schemas": {"type": "object", "properties": {"anything": True, "free": {}},
                        "required": ["anything", "free"]},
    "big_numbers": obj(["big", "small"], big={"type": "integer", "minimum": 1_000_000_000_000},
                       small={"type": "number", "maximum": -1e9}),
    "tiny_float_range": obj(["x"], x={"type": "number", "minimum": 0.1, "maximum": 0.10001}),
    "float_multiple": obj(["x"], x={"type": "number", "multipleOf": 0.25, "minimum": 1,
                          "maximum": 2}),
    "string_exact_length": obj(["pin"], pin={"type": "string", "minLength": 6,
                               "maxLength": 6}),
    "email_list_bounded": obj(["emails"], emails=arr({"type": "string", "format": "email",
                              "maxLength": 64}, minItems=2, maxItems=2)),
    "chinese_descriptions": obj(["城市", "人口"], **{"城市": {"type": "string",
                                "description": "城市名称"}, "人口": {"type": "integer",
                                "minimum": 0}}),
}


def strict(schema: S) -> S:
    """As OpenAI strict mode wants it: every property required, no extra properties."""
    out = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and isinstance(node.get("properties"), dict) \
                    and "additionalProperties" not in node and "patternProperties" not in node \
                    and "maxProperties" not in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for key, value in node.items():
                if key != "allOf":  # parts of an allOf closed each alone could never all hold
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(out)
    return out


def nested_in_defs(name: str, schema: S) -> S:
    """A Pydantic model with a field of this type: the schema moves under `$defs`."""
    inner = copy.deepcopy(schema)
    defs = {**inner.pop("$defs", {}), **inner.pop("definitions", {})}
    draft = inner.pop("$schema", None)
    inner = orjson.loads(orjson.dumps(inner).replace(b'"#/definitions/', b'"#/$defs/'))
    if "'$ref': '#'" in repr(inner):
        return {"$defs": {**defs}, **schema} if "$defs" in schema else copy.deepcopy(schema)
    key = "M" + "".join(p.title() for p in name.split("_"))
    return {**({"$schema": draft} if draft else {}), "$defs": {**defs, key: inner},
            "title": "Wrapper", "type": "object",
            "properties": {"payload": {"$ref": f"#/$defs/{key}"}, "note": nullable(STR)},
            "required": ["payload"]}


def listed(schema: S) -> S:
    inner = copy.deepcopy(schema)
    defs = {k: inner.pop(k) for k in ("$defs", "definitions") if k in inner}
    draft = inner.pop("$schema", None)
    if "'$ref': '#'" in repr(inner):
        return {"type": "object", "properties": {"one": copy.deepcopy(schema)}}
    return {**defs, **({"$schema": draft} if draft else {}), "type": "object",
            "properties": {"results": arr(inner, minItems=1, maxItems=3)},
            "required": ["results"]}


CORPUS: list[tuple[str, S]] = [
    *BASE.items(),
    *((f"{name}/strict", strict(s)) for name, s in BASE.items()),
    *((f"{name}/in_defs", nested_in_defs(name, s)) for name, s in BASE.items()),
    *((f"{name}/listed", listed(s)) for name, s in BASE.items()),
]
