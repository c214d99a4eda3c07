"""Check a graph against the SHACL shapes (ontology/shapes.ttl) and report what is wrong, readably."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import Errors, OntologyError, ValidationError
from kg.rdf.vocab import NIF, NKG, RDF, XSD, shapes_path
from kg.rdf.read import read_dataset, union
from kg.rdf.iris import short_name

__all__ = ["Report", "Violation", "check", "validate"]

_SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_SHAPE_PREFIXES = {"sh": str(SH), "nkgsh": "https://w3id.org/newskg/shapes#"}
_PATH_OPS = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where (focus node, path), what (message, value) and how bad (severity)."""

    focus: str
    path: str
    message: str
    severity: str = "Violation"
    value: str = ""
    shape: str = ""
    constraint: str = ""

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}".rstrip()
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`validate`: ``conforms`` and the results, sorted."""

    conforms: bool
    violations: tuple[Violation, ...] = ()
    triples: int = 0

    def __str__(self) -> str:
        return self.text()

    def __len__(self) -> int:
        return len(self.violations)

    def text(self) -> str:
        """The report as lines: a summary, then one line per result."""
        if self.conforms:
            return f"conforms: {self.triples} triples checked, no violations\n"
        lines = [f"does not conform: {len(self.violations)} result(s) in {self.triples} triples"]
        lines += [str(v) for v in self.violations]
        return "\n".join(lines) + "\n"

    def raise_for_violations(self) -> None:
        """Raise :class:`ValidationError` [E030] unless the graph conforms."""
        if not self.conforms:
            body = "\n".join(str(v) for v in self.violations)
            raise ValidationError(Errors.E030.format(count=len(self.violations), report=body))


def _name(node: Node | None, graph: Graph) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return short_name(str(node), _SHAPE_PREFIXES)
    if isinstance(node, Literal):
        text = str(node)
        text = text if len(text) <= 40 else text[:39] + "…"
        return f'"{text}"@{node.language}' if node.language else f'"{text}"'
    return f"_:{node}"


def _path(node: Node | None, graph: Graph) -> str:
    """A SHACL property path in SPARQL-like syntax with prefixed names."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return short_name(str(node))
    if (graph.value(node, RDF.first)) is not None:
        return "/".join(_path(n, graph) for n in Collection(graph, node))
    for op, template in _PATH_OPS.items():
        if (inner := graph.value(node, op)) is not None:
            return template.format(_path(inner, graph))
    if (alt := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(_path(n, graph) for n in Collection(graph, alt)) + ")"
    return f"_:{node}"


def _load_shapes(shapes: Graph | str | os.PathLike | None) -> Graph:
    if isinstance(shapes, Graph):
        return shapes
    path = Path(shapes) if shapes is not None else shapes_path()
    if not path.is_file():
        raise OntologyError(Errors.E031.format(path=path))
    return Graph().parse(str(path), format="turtle")


#: Offsets typed xsd:nonNegativeInteger, which an oxigraph store keeps as xsd:integer.
_OFFSETS = (NIF.beginIndex, NIF.endIndex, NKG.pageBeginIndex, NKG.pageEndIndex)


def _retype_offsets(g: Graph) -> None:
    """Give back the xsd:nonNegativeInteger type oxigraph stores drop from derived integer types."""
    for prop in _OFFSETS:
        for s, o in list(g.subject_objects(prop)):
            if isinstance(o, Literal) and o.datatype == XSD.integer and int(o) >= 0:
                g.set((s, prop, Literal(str(o), datatype=XSD.nonNegativeInteger)))


def _union(graph: Graph | str | os.PathLike | Sequence[str | os.PathLike]) -> Graph:
    """The graph to validate: one graph of every triple; offsets retyped when read from a store folder."""
    if isinstance(graph, Graph):
        return union(graph)
    merged = union(read_dataset(graph))
    paths = [graph] if isinstance(graph, (str, os.PathLike)) else graph
    if any(Path(p).is_dir() for p in paths):
        _retype_offsets(merged)
    return merged


def validate(graph: Graph | str | os.PathLike | Sequence[str | os.PathLike], *,
             shapes: Graph | str | os.PathLike | None = None) -> Report:
    """Validate a graph against the SHACL shapes; never raises for a non-conforming graph.

    A dataset (TriG, N-Quads) is validated as the union of its graphs, since the
    types of entities live in the default graph and articles in named graphs. An
    oxigraph store keeps ``xsd:nonNegativeInteger`` offsets as ``xsd:integer``; read
    from a store folder, non-negative offsets get their type back before checking.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset or path or sequence of paths
        The graph, or graph files / a store folder to read.
    shapes : rdflib.Graph or path, optional
        SHACL shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    Report
        ``conforms`` and one :class:`Violation` per SHACL result, with prefixed names.

    Raises
    ------
    GraphParseError
        [E010] when a graph file cannot be parsed.
    OntologyError
        [E031] when the shapes file is missing.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.rdf.vocab import RDF, SCHEMA
    >>> g = Graph(); _ = g.add((URIRef("urn:x"), RDF.type, SCHEMA.Person))
    >>> report = validate(g)
    >>> report.conforms, report.violations[0].path
    (False, 'schema:name')
    """
    import pyshacl

    data = _union(graph)
    shapes_graph = _load_shapes(shapes)
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True,
                                            allow_warnings=True)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        found.append(Violation(
            focus=_name(results.value(r, SH.focusNode), results),
            path=_path(results.value(r, SH.resultPath), results),
            message=" ".join(str(m) for m in results.objects(r, SH.resultMessage)),
            severity=_SEVERITY.get(results.value(r, SH.resultSeverity), "Violation"),
            value=_name(results.value(r, SH.value), results),
            shape=_name(results.value(r, SH.sourceShape), results)
            if not isinstance(results.value(r, SH.sourceShape), BNode) else "",
            constraint=str(results.value(r, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1],
        ))
    found.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return Report(bool(conforms), tuple(found), len(data))


def check(graph: Graph | str | os.PathLike | Sequence[str | os.PathLike], *,
          shapes: Graph | str | os.PathLike | None = None) -> Report:
    """Validate like :func:`validate`, but raise when the graph does not conform.

    Returns
    -------
    Report
        A conforming report.

    Raises
    ------
    ValidationError
        [E030] with the count and one line per violation.

    Examples
    --------
    >>> from rdflib import Graph
    >>> check(Graph()).conforms
    True
    """
    report = validate(graph, shapes=shapes)
    report.raise_for_violations()
    return report
