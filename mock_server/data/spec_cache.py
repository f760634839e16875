"""A disk cache of the compiled spec (the parsed document and the validators' bytecode), and
of the parsed YAML data files (`yaml_load.load_yaml_cached`).

Parsing `moonshot.yaml` and generating + compiling the request validators (fastjsonschema emits
~170 KB of Python) were most of the fake's start-up: ~80 ms of a ~370 ms cold start. The
cache turns them into one file read (~2 ms). Each validator is kept as its own marshalled
bytecode, loaded when its operation first checks a body (`spec.Operation.validate`). An entry
is keyed by a hash of the spec's text, the running Python's bytecode magic, the fastjsonschema
version and this module's format, so a changed spec or upgraded interpreter simply misses.
Location: `$XDG_CACHE_HOME/moonshot-mock` (default `~/.cache/moonshot-mock`). It is only an
accelerator: any failure to read or write it (read-only home, corrupt file) falls back to
building from the YAML.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

FORMAT = "3"  # 2: validators compiled from schemas with their references inlined; 3: each
# validator's bytecode marshalled on its own


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "moonshot-mock"


def cache_path(text: str, directory: Path | None = None) -> Path:
    key = hashlib.sha256("\0".join((
        FORMAT, importlib.util.MAGIC_NUMBER.hex(), generator_version(), text)).encode())
    return (directory or cache_dir()) / f"spec-{key.hexdigest()[:32]}.bin"


Compiled = tuple[Any, dict[str, bytes]]  # the document, marshalled validator code by operationId


def load(path: Path) -> Compiled | None:
    try:
        entry = marshal.loads(path.read_bytes())
        return orjson.loads(entry["document"]), dict(entry["validators"])
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def store(path: Path, document: Any, validators: dict[str, bytes]) -> None:
    """Keep the compiled spec (see `_write`)."""
    _write(path, marshal.dumps({"document": orjson.dumps(document), "validators": validators}))


def data_path(text: str, directory: Path | None = None) -> Path:
    """Where the parsed form of a YAML data file (catalogue, tiers) is kept."""
    key = hashlib.sha256("\0".join((FORMAT, "data", text)).encode())
    return (directory or cache_dir()) / f"data-{key.hexdigest()[:32]}.json"


def load_data(path: Path) -> Any | None:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def store_data(path: Path, data: Any) -> None:
    """Keep `data` when JSON holds it exactly (a YAML date, say, would come back a string)."""
    try:
        encoded = orjson.dumps(data)
    except TypeError:
        return
    if orjson.loads(encoded) == data:
        _write(path, encoded)


def _write(path: Path, data: bytes) -> None:
    """Write atomically; a cache that cannot be written is skipped silently."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".spec-", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError:
        return


def generator_version() -> str:
    """The installed fastjsonschema's version module, read as text: the package itself is
    imported only to compile validators (on a miss), not to look up the cache."""
    spec = importlib.util.find_spec("fastjsonschema")
    if spec is None or spec.origin is None:
        return ""
    try:
        return Path(spec.origin).with_name("version.py").read_text("utf-8")
    except OSError:
        return ""


def compile_validator(schema: Any) -> bytes:
    """fastjsonschema's module source for the schema, compiled to a code object, marshalled."""
    import fastjsonschema  # on first use: a cache miss

    source = fastjsonschema.compile_to_code(schema, use_default=False)
    return marshal.dumps(compile(source, "<moonshot-mock request validator>", "exec"))


def validator_from(code: bytes) -> Any:
    namespace: dict[str, Any] = {}
    exec(marshal.loads(code), namespace)  # our own generated validator, from our own spec
    return namespace["validate"]
