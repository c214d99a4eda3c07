"""Check a graph against the SHACL shapes (ontology/shapes.ttl) and report what is wrong, readably."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import Errors, ValidationError
from kg.rdf.iris import short_name
from kg.rdf.read import existing_paths, open_store_folder, read_into, read_quads
from kg.rdf.shacl import Constraint, Result, plan_for, run
from kg.rdf.terms import to_ox
from kg.rdf.vocab import RDF

__all__ = ["Report", "Violation", "check", "path_text", "validate", "validate_quads"]

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

    @classmethod
    def of(cls, violations, triples: int = 0) -> "Report":
        """The report of violations found piece by piece (a chunk at a time), sorted as every report is.

        Examples
        --------
        >>> Report.of([Violation("b", "p", "m"), Violation("a", "p", "m")]).violations[0].focus
        'a'
        """
        found = _sorted(list(violations))
        return cls(not found, found, triples)

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


def path_text(node: Node | None, graph: Graph) -> str:
    """A SHACL property path of ``graph`` in SPARQL-like syntax with prefixed names ("" for None).

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix schema: <https://schema.org/> .
    ...     <urn:s> sh:path ( schema:author [ sh:inversePath schema:member ] ) .''')
    >>> path_text(g.value(URIRef("urn:s"), SH.path), g)
    'schema:author/^schema:member'
    """
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return short_name(str(node))
    if (graph.value(node, RDF.first)) is not None:
        return "/".join(path_text(n, graph) for n in Collection(graph, node))
    for op, template in _PATH_OPS.items():
        if (inner := graph.value(node, op)) is not None:
            return template.format(path_text(inner, graph))
    if (alt := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(path_text(n, graph) for n in Collection(graph, alt)) + ")"
    return f"_:{node}"


GraphInput = Graph | ox.Store | str | os.PathLike | Sequence[str | os.PathLike]


def validate(graph: GraphInput, *, shapes: Graph | str | os.PathLike | None = None) -> Report:
    """Validate a graph against the SHACL shapes; never raises for a non-conforming graph.

    One engine checks everything (:mod:`kg.rdf.shacl`): the core constraints in Python
    over an index of the triples, the SPARQL-based ones on pyoxigraph. A dataset (TriG,
    N-Quads, a store) is validated as the union of its graphs, since the types of
    entities live in the default graph and articles in named graphs. Graphs and graph
    files are checked with every literal as written. An oxigraph store keeps
    ``xsd:nonNegativeInteger`` offsets as ``xsd:integer``: in a store (a
    ``pyoxigraph.Store`` or a store folder, alone or with files) an ``xsd:integer`` in
    range satisfies ``sh:datatype`` of a derived integer type.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset or pyoxigraph.Store or path or sequence of paths
        The graph, a store (validated in place, as the union of its graphs), or graph
        files / store folders to read.
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
        [E031] when the shapes file is missing; [E032] for a shape feature the engine
        does not know.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.rdf.vocab import RDF, SCHEMA
    >>> g = Graph(); _ = g.add((URIRef("urn:x"), RDF.type, SCHEMA.Person))
    >>> report = validate(g)
    >>> report.conforms, report.violations[0].path, report.violations[0].constraint
    (False, 'schema:name', 'MinCountConstraintComponent')
    """
    plan = plan_for(shapes)
    if isinstance(graph, Graph):
        results, triples = run(_from_rdflib(graph), plan)
    elif isinstance(graph, ox.Store):
        results, triples = run(graph, plan, lenient_integers=True)
    else:
        paths = existing_paths(graph)
        if len(paths) == 1 and paths[0].is_dir():
            results, triples = run(open_store_folder(paths[0])[0], plan, lenient_integers=True)
        elif any(p.is_dir() for p in paths):  # files and stores together: all as a store keeps them
            store = ox.Store()
            for p in paths:
                if p.is_dir():
                    store.extend(open_store_folder(p)[0])
                else:
                    read_into(store, p)
            results, triples = run(store, plan, lenient_integers=True)
        else:
            results, triples = run((q for p in paths for q in read_quads(p)), plan)
    found = _sorted([_violation(r, plan.graph) for r in results])
    return Report(all(v.severity in ("Warning", "Info") for v in found), found, triples)


def validate_quads(quads: Iterable, shapes: Graph | str | os.PathLike | None = None) -> tuple[Violation, ...]:
    """The violations of a set of pyoxigraph quads (or triples), literals as written.

    The shapes are compiled once per process and shapes file. Made for one chunk of
    pages at a time: the quads are validated as the union of their graphs.

    Parameters
    ----------
    quads : iterable of pyoxigraph.Quad or pyoxigraph.Triple
        The quads to check.
    shapes : rdflib.Graph or path, optional
        SHACL shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    tuple of Violation
        Sorted as in :class:`Report`; empty when the quads conform.

    Raises
    ------
    OntologyError
        [E031] when the shapes file is missing; [E032] for a shape feature the engine does not know.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> from kg.rdf.vocab import SCHEMA
    >>> q = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.Person)))
    >>> [v.path for v in validate_quads([q])]
    ['schema:name']
    """
    plan = plan_for(shapes)
    results, _ = run(quads, plan, every_triple=False)
    return _sorted([_violation(r, plan.graph) for r in results])


def _sorted(found: list[Violation]) -> tuple[Violation, ...]:
    found.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return tuple(found)


def _from_rdflib(graph: Graph) -> list[tuple]:
    """The triples of an rdflib graph (every graph of a dataset) as pyoxigraph terms, literals as written."""
    bnodes: dict = {}

    def term(node):
        if isinstance(node, BNode):
            found = bnodes.get(node)
            if found is None:
                try:
                    found = bnodes[node] = to_ox(node)
                except ValueError:  # an id oxigraph does not take
                    found = bnodes[node] = ox.BlankNode()
            return found
        return to_ox(node)

    triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))) \
        if getattr(graph, "context_aware", False) else graph
    return [(term(s), term(p), term(o)) for s, p, o in triples]


def _ox_name(term) -> str:
    """:func:`_name` of a pyoxigraph term."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return short_name(term.value, _SHAPE_PREFIXES)
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= 40 else term.value[:39] + "…"
        return f'"{text}"@{term.language}' if term.language else f'"{text}"'
    return f"_:{term.value}"


def _violation(r: Result, sg: Graph) -> Violation:
    """A result as pyshacl's would read."""
    c: Constraint = r.constraint
    value = r.value
    if c.query:
        if value is None and c.path is None:
            value = r.focus  # a node shape's SPARQL constraint reports the focus node
        fields = {k: v for k, v in r.bindings if k not in ("this", "path", "value")}
        fields.update(this=r.focus, **({"path": r.path} if r.path is not None else {}),
                      **({"value": value} if value is not None else {}))
        messages = []
        for m in c.messages:
            for var, val in fields.items():
                m = re.sub("{{[?$]{}}}".format(re.escape(var)), lambda _, text=val.value: text, m)
            messages.append(m)
        path = short_name(r.path.value) if isinstance(r.path, ox.NamedNode) else path_text(c.path, sg)
    else:
        messages = list(c.messages) or [c.generic.format(
            arg=c.argument, focus=_ox_name(r.focus), path=path_text(c.path, sg), value=_ox_name(value))]
        path = path_text(c.path, sg)
    return Violation(
        focus=_ox_name(r.focus), path=path, message=" ".join(messages),
        severity=_SEVERITY.get(c.severity, "Violation"), value=_ox_name(value),
        shape="" if isinstance(c.shape, BNode) else short_name(str(c.shape), _SHAPE_PREFIXES),
        constraint=c.component)


def check(graph: GraphInput, *, shapes: Graph | str | os.PathLike | None = None) -> Report:
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
