"""The import graph of kg/: no cycle, and every module imports only its own layer or lower ones.

Every ``import`` and ``from … import`` counts, at module level and inside functions
(and under ``if TYPE_CHECKING:``), absolute (``kg.…``) and relative. ``from kg.a import b``
is an edge to ``kg.a.b`` when ``b`` is a submodule, else to ``kg.a``; an edge to a package
is an edge to its ``__init__``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KG = Path(__file__).resolve().parents[1] / "kg"

#: Layer of each part of kg/, lowest first: a module may import its own layer and lower ones.
#: A module is ranked by the longest entry that is it or a package holding it.
LAYERS = {
    "kg": 0, "kg.errors": 0, "kg.io": 0, "kg.model": 0, "kg.ids": 0, "kg.dates": 0, "kg.numerals": 0,
    "kg.lexicon": 1,
    "kg.sources": 2, "kg.segment": 2,
    "kg.extract": 3,
    "kg.resolve": 4,
    "kg.rdf": 5,
    "kg.store": 6, "kg.export": 6,
    "kg.pipeline": 7, "kg.train": 7,
    "kg.commands": 8,
    "kg.cli": 9, "kg.__main__": 9,
}


def module_name(path: Path, root: Path) -> str:
    """``kg/a/b.py`` -> ``kg.a.b``; ``kg/a/__init__.py`` -> ``kg.a``."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def kg_modules(root: Path = KG) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name."""
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _known(name: str, modules) -> str | None:
    """``name`` or the longest package/module prefix of it that is a module of kg/ (None outside kg/)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(name: str, source: str, modules, *, is_package: bool = False) -> list[tuple[str, int]]:
    """The kg/ modules that module ``name`` imports, as ``(target, line)``, in source order.

    ``modules`` is the set of dotted names of kg/; imports of other packages are left out,
    and so is an import of the module by itself.
    """
    package = name if is_package else name.rpartition(".")[0]
    edges = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [_known(alias.name, modules) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [_known(f"{base}.{alias.name}", modules) if alias.name != "*" else _known(base, modules)
                       for alias in node.names]
        else:
            continue
        edges += [(t, node.lineno) for t in targets if t is not None and t != name]
    return sorted(set(edges), key=lambda e: (e[1], e[0]))


def import_graph(root: Path = KG) -> dict[str, list[tuple[str, int]]]:
    """Module -> the kg/ modules it imports with the line of each import."""
    modules = kg_modules(root)
    return {name: imports_of(name, path.read_text(encoding="utf-8"), modules, is_package=path.name == "__init__.py")
            for name, path in modules.items()}


def find_cycles(graph: dict[str, list[tuple[str, int]]]) -> list[list[str]]:
    """One cycle (``[a, b, …, a]``) for each strongly connected part of ``graph`` with more than one module."""
    index, low, on_stack, stack, parts = {}, {}, set(), [], []

    def strong(v):  # Tarjan; kg/ is small enough for recursion
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w, _ in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                part.add(w)
                if w == v:
                    break
            if len(part) > 1:
                parts.append(part)

    for v in sorted(graph):
        if v not in index:
            strong(v)
    cycles = []
    for part in parts:
        start = min(part)
        # breadth-first from start inside the part, back to start
        paths, seen = {start: [start]}, {start}
        queue, found = [start], None
        while queue and found is None:
            v = queue.pop(0)
            for w, _ in graph[v]:
                if w == start:
                    found = paths[v] + [start]
                    break
                if w in part and w not in seen:
                    seen.add(w)
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        cycles.append(found)
    return sorted(cycles)


def layer_of(name: str) -> int | None:
    """The layer of module ``name`` (None when LAYERS does not place it)."""
    hit = _known(name, LAYERS)
    if hit == "kg" and name != "kg":
        return None  # only kg/__init__ itself is in layer 0 by the entry "kg"
    return LAYERS.get(hit) if hit else None


def _where(name: str, line: int) -> str:
    return f"{kg_modules()[name].relative_to(KG.parent)}:{line}"


@pytest.mark.parametrize("name, source, is_package, expected", [
    ("kg.a.x", "import kg.b", False, [("kg.b", 1)]),
    ("kg.a.x", "import kg.b.c as c", False, [("kg.b.c", 1)]),
    ("kg.a.x", "from kg.b import c", False, [("kg.b.c", 1)]),
    ("kg.a.x", "from kg.b import not_a_module", False, [("kg.b", 1)]),
    ("kg.a.x", "from kg import b", False, [("kg.b", 1)]),
    ("kg.a.x", "from kg.b.c import thing, other", False, [("kg.b.c", 1)]),
    ("kg.a.x", "from . import y", False, [("kg.a.y", 1)]),
    ("kg.a.x", "from .y import f", False, [("kg.a.y", 1)]),
    ("kg.a.x", "from .. import b", False, [("kg.b", 1)]),
    ("kg.a.x", "from ..b.c import f", False, [("kg.b.c", 1)]),
    ("kg.a", "from .x import f", True, [("kg.a.x", 1)]),
    ("kg.a.x", "from kg.b import *", False, [("kg.b", 1)]),
    ("kg.a.x", "import json, rdflib\nfrom os import path", False, []),
    ("kg.a.x", "from kg.a.x import f", False, []),
    ("kg.a.x", "def f():\n    if True:\n        from kg.b.c import g\n", False, [("kg.b.c", 3)]),
    ("kg.a.x", "class K:\n    def m(self):\n        import kg.b\n", False, [("kg.b", 3)]),
])
def test_architecture_imports_of(name, source, is_package, expected):
    modules = {"kg", "kg.a", "kg.a.x", "kg.a.y", "kg.b", "kg.b.c"}
    assert imports_of(name, source, modules, is_package=is_package) == expected


@pytest.mark.parametrize("graph, expected", [
    ({"a": [("b", 1)], "b": [("c", 1)], "c": []}, []),
    ({"a": [("b", 1)], "b": [("a", 2)]}, [["a", "b", "a"]]),
    ({"a": [("b", 1)], "b": [("c", 1)], "c": [("a", 1)], "d": [("d", 1)]}, [["a", "b", "c", "a"]]),
])
def test_architecture_find_cycles(graph, expected):
    assert find_cycles(graph) == expected


def test_architecture_every_module_has_a_layer():
    unplaced = sorted(name for name in kg_modules() if layer_of(name) is None)
    assert not unplaced, f"modules with no layer in LAYERS: {unplaced}"


def test_architecture_no_import_cycle():
    graph = import_graph()
    cycles = find_cycles(graph)
    lines = []
    for cycle in cycles:
        steps = []
        for a, b in zip(cycle, cycle[1:]):
            line = next(n for t, n in graph[a] if t == b)
            steps.append(f"{a} -> {b} ({_where(a, line)})")
        lines.append("cycle: " + "; ".join(steps))
    assert not cycles, "import cycles in kg/:\n" + "\n".join(lines)


def test_architecture_layers():
    graph = import_graph()
    violations = [
        f"{_where(name, line)}: {name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
        for name, edges in sorted(graph.items())
        for target, line in edges
        if None not in (layer_of(name), layer_of(target)) and layer_of(target) > layer_of(name)
    ]
    assert not violations, "imports of a higher layer:\n" + "\n".join(violations)
