"""The compiled-spec cache: same validators as a fresh build, and never a reason to fail."""

from __future__ import annotations

from pathlib import Path

import fastjsonschema
import pytest

from mock_server.data import spec_cache
from mock_server.data.spec import _compile, default_spec_path, inline_refs, load_spec
from mock_server.data.yaml_load import load_yaml

SCHEMA = {"type": "object", "required": ["model"], "properties": {
    "model": {"type": "string", "pattern": "^m"}, "n": {"type": "integer", "minimum": 1}}}


def test_cached_validator_behaves_as_fastjsonschema_compile(tmp_path: Path) -> None:
    where = tmp_path / "entry.bin"
    spec_cache.store(where, {"doc": [1, "x"]}, {"op": spec_cache.compile_validator(SCHEMA)})
    document, codes = spec_cache.load(where) or ({}, {})
    assert document == {"doc": [1, "x"]}
    cached = spec_cache.validator_from(codes["op"])
    direct = fastjsonschema.compile(SCHEMA, use_default=False)
    assert cached({"model": "m1", "n": 2}) == direct({"model": "m1", "n": 2})
    for bad in ({"n": 1}, {"model": "x"}, {"model": "m", "n": 0}, []):
        with pytest.raises(fastjsonschema.JsonSchemaValueException) as from_cache:
            cached(bad)
        with pytest.raises(fastjsonschema.JsonSchemaValueException) as fresh:
            direct(bad)
        assert (from_cache.value.message, from_cache.value.name) == (
            fresh.value.message, fresh.value.name)


def test_key_follows_the_text_and_a_bad_entry_is_a_miss(tmp_path: Path) -> None:
    assert spec_cache.cache_path("a", tmp_path) != spec_cache.cache_path("b", tmp_path)
    assert spec_cache.load(tmp_path / "missing.bin") is None
    (tmp_path / "corrupt.bin").write_bytes(b"\x00not marshal")
    assert spec_cache.load(tmp_path / "corrupt.bin") is None


def test_unwritable_cache_is_skipped(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    spec_cache.store(blocked / "sub" / "entry.bin", {}, {})  # no exception
    assert spec_cache.load(blocked / "sub" / "entry.bin") is None


def test_spec_from_the_cache_equals_the_spec_from_yaml(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    text = default_spec_path().read_text("utf-8")
    document, codes = _compile(load_yaml(text))
    spec = load_spec.__wrapped__()  # builds and stores
    assert spec_cache.cache_path(text).exists()
    again = load_spec.__wrapped__()  # from the cache
    assert again.document == spec.document == document
    assert again.json == spec.json
    assert [op.operation_id for op in again.operations] == [op.operation_id for op in spec.operations]
    assert {op.operation_id for op in again.operations if op.validate} == set(codes)


def test_references_are_inlined_and_cycles_kept() -> None:
    schemas = {"Leaf": {"type": "string"},
               "Node": {"type": "object", "properties": {"leaf": {"$ref": "#/components/schemas/Leaf"},
                                                          "child": {"$ref": "#/components/schemas/Node"}}}}
    inlined = inline_refs({"items": [{"$ref": "#/components/schemas/Node"}]}, schemas)
    node = inlined["items"][0]
    assert node["properties"]["leaf"] == {"type": "string"}
    assert node["properties"]["child"] == {"$ref": "#/components/schemas/Node"}  # the cycle
    assert inline_refs({"$ref": "#/components/schemas/Missing"}, schemas) == {
        "$ref": "#/components/schemas/Missing"}
