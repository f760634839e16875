"""The package's import contract (ARCHITECTURE.md, "Import rules"), checked over its source.

Each module's imports are read from its syntax tree: module-level and function-level imports
count, imports under `if TYPE_CHECKING:` do not (they load nothing at run time). A violation
fails with the offending edge named.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "mock_server"

# Layers from the bottom up: a module may import its own layer's modules and lower layers only.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kernel", ("errors", "clock", "ids", "journal", "media", "memo", "messages", "sse",
                "settings")),
    ("data", ("data",)),
    ("domain", ("chat", "faults", "accounts", "files", "batches", "caching", "recording", "replies",
                "anthropic", "responses", "signatures", "tools")),
    ("engine", ("engine", "doors")),
    ("http", ("http",)),
    ("endpoints", ("endpoints",)),
    ("wiring", ("app", "services", "config", "reply_files", "control")),
    ("entry", ("cli", "cli_journal", "__main__", "__init__", "server", "testing")),
)
DOMAIN = ("chat", "faults", "accounts", "files", "batches", "caching", "recording", "replies",
          "anthropic", "responses", "signatures", "tools")
KERNEL_THIRD_PARTY = frozenset({"orjson"})
# third-party roots and the top-level units allowed to import them
FRAMEWORKS = {
    "starlette": ("http", "app"),
    "uvicorn": ("server",),
}


def unit_of(module: str) -> str:
    """`mock_server.chat.plan` -> `chat`; `mock_server.app` -> `app`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(unit: str) -> int:
    for rank, (_, units) in enumerate(LAYERS):
        if unit in units:
            return rank
    raise AssertionError(f"mock_server.{unit} belongs to no layer: add it to LAYERS in {__file__}")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from _runtime_nodes(node.orelse)
            continue
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                yield from _runtime_nodes([child])
            elif not isinstance(child, ast.expr):
                yield from _runtime_nodes([c for c in ast.iter_child_nodes(child)
                                           if isinstance(c, ast.stmt)])


def imports_of(path: Path, module: str) -> set[str]:
    """Absolute names of everything `path` imports at run time."""
    tree = ast.parse(path.read_text("utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            if base.startswith("mock_server"):  # `from mock_server.chat import plan`
                found.update(f"{base}.{alias.name}" for alias in node.names
                             if (PACKAGE.parent / f"{base}.{alias.name}".replace(".", "/")).exists()
                             or (PACKAGE.parent / (f"{base}.{alias.name}".replace(".", "/") + ".py"))
                             .exists())
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        edges[module] = imports_of(path, module)
    return edges


GRAPH = graph()
OWN = {name: targets for name, targets in GRAPH.items()}


def own_edges() -> Iterator[tuple[str, str]]:
    for source, targets in GRAPH.items():
        for target in sorted(targets):
            if target.startswith("mock_server.") and target in GRAPH:
                yield source, target


def test_the_graph_sees_the_package() -> None:
    assert len(GRAPH) > 40 and any(t.startswith("mock_server.") for ts in GRAPH.values() for t in ts)


def test_no_import_goes_up_a_layer() -> None:
    bad = [f"{s} -> {t} ({LAYERS[layer_of(unit_of(s))][0]} imports {LAYERS[layer_of(unit_of(t))][0]})"
           for s, t in own_edges() if layer_of(unit_of(t)) > layer_of(unit_of(s))]
    assert not bad, "imports from a lower layer to a higher one:\n" + "\n".join(bad)


def test_domain_packages_do_not_import_each_other() -> None:
    bad = [f"{s} -> {t}" for s, t in own_edges()
           if unit_of(s) in DOMAIN and unit_of(t) in DOMAIN and unit_of(s) != unit_of(t)]
    assert not bad, "domain packages import each other:\n" + "\n".join(bad)


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_frameworks_stay_at_their_edge(framework: str) -> None:
    allowed = FRAMEWORKS[framework]
    bad = [f"{source} -> {target}" for source, targets in GRAPH.items() for target in sorted(targets)
           if target.split(".")[0] == framework and unit_of(source) not in allowed]
    assert not bad, f"only {', '.join(allowed)} may import {framework}:\n" + "\n".join(bad)


def test_the_kernel_needs_only_the_standard_library_and_orjson() -> None:
    import sys

    bad = [f"{source} -> {target}" for source, targets in GRAPH.items()
           if layer_of(unit_of(source)) == 0 for target in sorted(targets)
           if not target.startswith("mock_server") and target.split(".")[0] not in sys.stdlib_module_names
           and target.split(".")[0] not in KERNEL_THIRD_PARTY and target != "__future__"]
    assert not bad, "the kernel imports beyond the standard library and orjson:\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    edges = {s: {t for t in ts if t in GRAPH and t != s} for s, ts in GRAPH.items()}
    # a package's __init__ importing its own modules is not a cycle of the code
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_a_violation_is_named(tmp_path: Path) -> None:
    """The checker itself: an upward import written in a domain module is reported."""
    module = tmp_path / "mock_server" / "chat" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                      "    from mock_server.services import Services\n"
                      "def f():\n    from mock_server.http import pipeline\n")
    found = imports_of(module, "mock_server.chat.bad")
    assert "mock_server.http" in found and "mock_server.services" not in found
