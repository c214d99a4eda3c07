"""Check a graph against the SHACL shapes (ontology/shapes.ttl) and report what is wrong, readably."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import Errors, OntologyError, RegistryError, ValidationError
from kg.rdf.vocab import NIF, NKG, RDF, XSD, shapes_path
from kg.rdf.read import existing_paths, open_store_folder, read_dataset, read_into, read_quads, union
from kg.rdf.iris import short_name
from kg.rdf.fastshacl import plan_for, run_plan
from kg.rdf.shacl import CORE_GRAPHS, CompiledConstraint, Result, _ox, compile_shapes, exact_store, run

__all__ = ["ENGINES", "Report", "Violation", "check", "validate", "validate_quads"]

#: Validation engines: SHACL checked in Python over the quads (the default for graphs and graph files),
#: compiled to SPARQL on pyoxigraph (the default for stores), and pyshacl (the reference).
ENGINES = ("fast", "sparql", "pyshacl")

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
            if isinstance(o, Literal) and o.datatype == XSD.integer and isinstance(o.value, int) and o.value >= 0:
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


GraphInput = Graph | ox.Store | str | os.PathLike | Sequence[str | os.PathLike]


def validate(graph: GraphInput, *, shapes: Graph | str | os.PathLike | None = None,
             engine: str | None = None) -> Report:
    """Validate a graph against the SHACL shapes; never raises for a non-conforming graph.

    A dataset (TriG, N-Quads, a store) is validated as the union of its graphs, since
    the types of entities live in the default graph and articles in named graphs.
    An oxigraph store keeps ``xsd:nonNegativeInteger`` offsets as ``xsd:integer``: in
    a store (a ``pyoxigraph.Store`` or a store folder) a non-negative ``xsd:integer``
    satisfies ``sh:datatype xsd:nonNegativeInteger``. Graphs and graph files are
    checked with every literal as written.

    Parameters
    ----------
    graph : rdflib.Graph or rdflib.Dataset or pyoxigraph.Store or path or sequence of paths
        The graph, a store (validated in place, as the union of its graphs), or graph
        files / store folders to read.
    shapes : rdflib.Graph or path, optional
        SHACL shapes; ``ontology/shapes.ttl`` by default.
    engine : {"fast", "sparql", "pyshacl"}, optional
        ``"fast"`` checks the shapes in Python over an index of the triples
        (:mod:`kg.rdf.fastshacl`, literals as written), the default for graphs and
        graph files; ``"sparql"`` compiles the shapes to SPARQL queries run on
        pyoxigraph (:mod:`kg.rdf.shacl`), the default for stores and store folders
        (and used for them when ``"fast"`` is asked); ``"pyshacl"`` runs pyshacl over
        an rdflib graph (the reference, slow on large graphs). All give the same report.

    Returns
    -------
    Report
        ``conforms`` and one :class:`Violation` per SHACL result, with prefixed names.

    Raises
    ------
    GraphParseError
        [E010] when a graph file cannot be parsed.
    OntologyError
        [E031] when the shapes file is missing; [E032] for a shape feature the
        SPARQL engine does not know.
    RegistryError
        [E033] for an unknown engine.

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.rdf.vocab import RDF, SCHEMA
    >>> g = Graph(); _ = g.add((URIRef("urn:x"), RDF.type, SCHEMA.Person))
    >>> report = validate(g)
    >>> report.conforms, report.violations[0].path
    (False, 'schema:name')
    >>> validate(g, engine="pyshacl") == report == validate(g, engine="sparql")
    True
    """
    if engine is not None and engine not in ENGINES:
        raise RegistryError(Errors.E033.format(name=engine, choices=", ".join(ENGINES)))
    if engine in (None, "fast") and not _is_store(graph):
        plan = plan_for(shapes)
        results, triples = run_plan(_quads(graph), plan)
        found = _sorted([_violation(r, plan.graph) for r in results])
        return Report(all(v.severity in ("Warning", "Info") for v in found), found, triples)
    shapes_graph = _load_shapes(shapes)
    if engine == "pyshacl":
        return _validate_pyshacl(graph, shapes_graph)
    store, exact = _store(graph)
    constraints = compile_shapes(shapes_graph, lenient_integers=not exact)
    found = _sorted([_violation(r, shapes_graph) for r in run(store, constraints, exact=exact)])
    conforms = all(v.severity in ("Warning", "Info") for v in found)
    return Report(conforms, found, _triples(store, exact))


def validate_quads(quads: Iterable, shapes: Graph | str | os.PathLike | None = None) -> tuple[Violation, ...]:
    """The violations of a set of pyoxigraph quads (or triples), literals as written, by the ``"fast"`` engine.

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
    results, _ = run_plan(quads, plan)
    return _sorted([_violation(r, plan.graph) for r in results])


def _sorted(found: list[Violation]) -> tuple[Violation, ...]:
    found.sort(key=lambda v: (v.focus, v.path, v.message, v.value))
    return tuple(found)


def _is_store(graph: GraphInput) -> bool:
    """A store or store folder, whose literals are as oxigraph keeps them (the ``"sparql"`` engine's lenient mode)."""
    if isinstance(graph, ox.Store):
        return True
    if isinstance(graph, Graph):
        return False
    return any(p.is_dir() for p in existing_paths(graph))


def _quads(graph: GraphInput) -> Iterable:
    """The triples of a graph or of graph files, as pyoxigraph terms written as they are."""
    if isinstance(graph, Graph):
        bnodes: dict = {}
        triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))) \
            if getattr(graph, "context_aware", False) else graph
        return [(_ox(s, bnodes), _ox(p, bnodes), _ox(o, bnodes)) for s, p, o in triples]
    return [q for p in existing_paths(graph) for q in read_quads(p)]


def _store(graph: GraphInput) -> tuple[ox.Store, bool]:
    """The store to query and whether it keeps literals as written (:func:`kg.rdf.shacl.exact_store`)."""
    if isinstance(graph, ox.Store):
        return graph, False
    if isinstance(graph, Graph):
        if getattr(graph, "context_aware", False):
            return exact_store((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))), True
        return exact_store(graph), True
    paths = existing_paths(graph)
    if len(paths) == 1 and paths[0].is_dir():
        return open_store_folder(paths[0])[0], False
    if any(p.is_dir() for p in paths):  # files and stores together: all as a store keeps them
        store = ox.Store()
        for p in paths:
            if p.is_dir():
                store.extend(open_store_folder(p)[0].quads_for_pattern(None, None, None, None))
            else:
                read_into(store, p)
        return store, False
    return exact_store((q.subject, q.predicate, q.object) for p in paths for q in read_quads(p)), True


def _triples(store: ox.Store, exact: bool) -> int:
    """The number of distinct triples of the union of the graphs."""
    if exact:
        return sum(len(list(store.quads_for_pattern(None, None, None, g))) for g in CORE_GRAPHS)
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
                         use_default_graph_as_union=True)
    return int(row["n"].value)


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
    """A result of the SPARQL engine as pyshacl's would read."""
    c: CompiledConstraint = r.constraint
    value = r.value
    if c.sparql:
        if value is None and c.path is None:
            value = r.focus  # a node shape's SPARQL constraint reports the focus node
        fields = {k: v for k, v in r.bindings if k not in ("this", "path", "value")}
        fields.update(this=r.focus, **({"path": r.path} if r.path is not None else {}),
                      **({"value": value} if value is not None else {}))
        messages = []
        for m in c.messages:
            for var, val in fields.items():
                m = re.sub("{{[?$]{}}}".format(var), val.value, m)
            messages.append(m)
        path = short_name(r.path.value) if isinstance(r.path, ox.NamedNode) else _path(c.path, sg)
    else:
        messages = list(c.messages) or [c.generic.format(
            arg=c.argument, focus=_ox_name(r.focus), path=_path(c.path, sg), value=_ox_name(value))]
        path = _path(c.path, sg)
    return Violation(
        focus=_ox_name(r.focus), path=path, message=" ".join(messages),
        severity=_SEVERITY.get(c.severity, "Violation"), value=_ox_name(value),
        shape="" if isinstance(c.shape, BNode) else _name(c.shape, sg), constraint=c.component)


def _validate_pyshacl(graph: Graph | str | os.PathLike | Sequence[str | os.PathLike], shapes_graph: Graph) -> Report:
    """Today's reference path: pyshacl over one rdflib graph of every triple."""
    import pyshacl

    if isinstance(graph, ox.Store):
        ds = Dataset(default_union=True)
        ds.parse(data=graph.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
        data = union(ds)
        _retype_offsets(data)
    else:
        data = _union(graph)
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


def check(graph: GraphInput, *, shapes: Graph | str | os.PathLike | None = None,
          engine: str | None = None) -> Report:
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
    report = validate(graph, shapes=shapes, engine=engine)
    report.raise_for_violations()
    return report
