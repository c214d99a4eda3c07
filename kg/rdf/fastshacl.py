"""The SHACL shapes evaluated in Python over an index of a small set of quads: fast on one chunk of pages.

The same constraints as :mod:`kg.rdf.shacl`, in the same order and with the same rows
(one :class:`~kg.rdf.shacl.Result` per row the compiled SPARQL query would give), but
the core constraints (targets, property paths, cardinality, class, datatype, node kind,
languageIn, lessThan(OrEquals), node, and/or/not/xone) are checked directly over a
dictionary ``subject -> predicate -> objects`` of the quads, with every literal as
written. Only the SPARQL-based constraints (``sh:sparql``) run on pyoxigraph, on an
in-memory store of the quads queried as the union of their graphs. The rare value
the Python checks cannot judge alone (the lexical form of a date, the order of two
dates) is evaluated once by the very SPARQL expression of :mod:`kg.rdf.shacl`, on an
empty store, and remembered: the answers are a pure function of the terms.

A shape the SPARQL compiler refuses is refused here too ([E032]).
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from kg.errors import Errors, OntologyError
from kg.rdf.shacl import _CASTS, _INT_RANGES, _XSD, CompiledConstraint, Result, _Compiler, _ox, _unsupported, \
    _verbatim
from kg.rdf.vocab import shapes_path

__all__ = ["Plan", "compile_plan", "plan_for", "run_plan"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: Rows of one constraint at one focus node: (focus node, value node or None).
Rows = Callable[["_Index", Term], Iterator[tuple[Term, Term | None]]]
Values = Callable[["_Index", Term], Iterable[Term]]

_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_RDFS_LITERAL = str(RDFS.Literal)
_INTEGER_LEX = re.compile(r"[+-]?[0-9]+\Z")
_I64 = (-2**63, 2**63 - 1)
_BOOLEANS = {"true", "false", "1", "0"}


@dataclass(frozen=True)
class _Check:
    """One compiled constraint and the function giving its rows at a focus node."""

    constraint: CompiledConstraint
    rows: Rows


@dataclass(frozen=True)
class _Shape:
    """A shape with targets: how to find its focus nodes, its core checks and its SPARQL constraints."""

    classes: tuple[ox.NamedNode, ...]
    subjects_of: tuple[ox.NamedNode, ...]
    objects_of: tuple[ox.NamedNode, ...]
    nodes: tuple[Term, ...]
    checks: tuple[_Check, ...]
    sparql: tuple[CompiledConstraint, ...]


def _predicates(query: str) -> frozenset[str] | None:
    """The IRIs of every predicate a SPARQL query can match, or None when a variable (or a negated path) may match any.

    Examples
    --------
    >>> sorted(_predicates("SELECT * WHERE { ?s <urn:p>/^<urn:q> ?o FILTER EXISTS { ?o <urn:r> 1 } }"))
    ['urn:p', 'urn:q', 'urn:r']
    >>> _predicates("SELECT * WHERE { ?s ?p ?o }") is None
    True
    >>> _predicates("SELECT * WHERE { ?s <urn:p> ?o FILTER NOT EXISTS { ?o ?q ?s } }") is None
    True
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql import prepareQuery

    found: set[str] = set()

    def path(p) -> bool:
        if isinstance(p, URIRef):
            found.add(str(p))
            return True
        if isinstance(p, (SequencePath, AlternativePath)):
            return all(path(x) for x in p.args)
        if isinstance(p, InvPath):
            return path(p.arg)
        if isinstance(p, MulPath):
            return path(p.path)
        return False  # a variable, a negated property set, anything else

    def walk(node) -> bool:
        if isinstance(node, dict):
            for t in (node["triples"] or ()) if "triples" in node else ():  # (s, p, o), or s p o p o … in a pattern not yet translated
                if not (isinstance(t, (list, tuple)) and len(t) % 2 == 1 and all(path(p) for p in t[1::2])):
                    return False
            return all(walk(v) for k, v in node.items() if k != "triples")
        if isinstance(node, (list, tuple)):
            return all(walk(v) for v in node)
        return True

    try:
        algebra = prepareQuery(query).algebra
    except Exception:  # a query rdflib cannot read: load every quad
        return None
    return frozenset(found) if walk(algebra) else None


@dataclass(frozen=True)
class Plan:
    """The shapes of one shapes graph compiled for :func:`run_plan`; ``graph`` is that shapes graph."""

    graph: Graph
    shapes: tuple[_Shape, ...]
    sparql_predicates: frozenset[str] | None = frozenset()


class _Index:
    """The triples of a set of quads (their union, a set): ``s -> p -> {o}``, with memoised class closures.

    Nodes are keys: an IRI is its string, a blank node ``"_:"`` and its id (no IRI
    starts so), a literal the ``pyoxigraph.Literal`` itself. Python caches the hash
    of a string, not of a pyoxigraph term: lookups by key are several times faster.
    """

    def __init__(self, quads: Iterable, keep: frozenset | None = frozenset()) -> None:
        spo: dict = {}
        types: dict = {}
        kept = []  # the quads whose predicate is in ``keep`` (all when None): for the SPARQL constraints
        n = 0
        named, literal = ox.NamedNode, ox.Literal
        for q in quads:
            s, p, o = q[0], q[1].value, q[2]
            if keep is None or p in keep:
                kept.append(q)
            s = s.value if type(s) is named else "_:" + s.value
            t = type(o)
            o = o.value if t is named else o if t is literal else "_:" + o.value
            preds = spo.get(s)
            if preds is None:
                spo[s] = {p: {o}}
            elif (objs := preds.get(p)) is None:
                preds[p] = {o}
            elif o not in objs:
                objs.add(o)
            else:
                continue
            n += 1
            if p == _TYPE:
                types.setdefault(o, set()).add(s)
        self.spo = spo
        self.types = types
        self.kept = kept
        self.triples = n
        self.memo: dict = {}
        self._ops: dict | None = None
        self._supers: dict = {}
        self._instances: dict = {}

    def memoised(self, token: object, v, rows: Rows) -> list:
        """The rows of a check at ``v``, computed once per index (``token`` names the check)."""
        key = (token, v)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = list(rows(self, v))
        return found

    def objects(self, s, p: str) -> set:
        preds = self.spo.get(s) if type(s) is str else None
        return preds.get(p, _EMPTY) if preds is not None else _EMPTY

    def subjects(self, o, p: str) -> set:
        if self._ops is None:
            ops: dict = {}
            for s, preds in self.spo.items():
                for p2, objs in preds.items():
                    for o2 in objs:
                        ops.setdefault(o2, {}).setdefault(p2, set()).add(s)
            self._ops = ops
        preds = self._ops.get(o)
        return preds.get(p, _EMPTY) if preds is not None else _EMPTY

    def supers(self, cls) -> set:
        """``cls`` and every class it is an ``rdfs:subClassOf*`` of, in the data."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), _SUBCLASS):
                    if sup not in found:
                        found.add(sup)
                        todo.append(sup)
            self._supers[cls] = found
        return found

    def has_class(self, node, cls: str) -> bool:
        preds = self.spo.get(node) if type(node) is str else None
        return preds is not None and any(cls in self.supers(t) for t in preds.get(_TYPE, ()))

    def instances(self, cls: str) -> set:
        found = self._instances.get(cls)
        if found is None:
            found = set()
            for t, members in self.types.items():
                if cls in self.supers(t):
                    found |= members
            self._instances[cls] = found
        return found


_EMPTY: frozenset = frozenset()


def _key(term: Term):
    """The :class:`_Index` key of a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term


def _term(key) -> Term:
    """The pyoxigraph term of an :class:`_Index` key."""
    if type(key) is not str:
        return key
    return ox.BlankNode(key[2:]) if key.startswith("_:") else ox.NamedNode(key)


# ---------------------------------------------------------------------- values the SPARQL engine would compute

_MEMO: dict = {}  # (kind, terms) -> bool: pure functions of the terms, evaluated by oxigraph once
_EMPTY_STORE = ox.Store()


def _ask(kind: str, expression: str, *terms: Term) -> bool:
    """The SPARQL boolean ``expression`` of ``?a`` (and ``?b``), COALESCE'd to false, memoised."""
    key = (kind, terms)
    if key not in _MEMO:
        names = ("?a", "?b")[:len(terms)]
        row = " ".join(str(t) for t in terms)
        query = (f"PREFIX xsd: <{_XSD}>\nSELECT (COALESCE({expression}, false) AS ?r) "
                 f"WHERE {{ VALUES ({' '.join(names)}) {{ ({row}) }} }}")
        (solution,) = _EMPTY_STORE.query(query)
        _MEMO[key] = solution["r"].value == "true"
    return _MEMO[key]


def _well_formed(lexical: str, local: str) -> bool:
    """The lexical form is one of XSD type ``local``, as :meth:`kg.rdf.shacl._Compiler.well_formed` tests it."""
    if local in _INT_RANGES:
        if not _INTEGER_LEX.match(lexical):
            return False
        n = int(lexical)
        lo, hi = _INT_RANGES[local]
        return _I64[0] <= n <= _I64[1] and (lo is None or n >= lo) and (hi is None or n <= hi)
    if local == "boolean":
        return lexical in _BOOLEANS
    if local in _CASTS:
        return _ask(f"wf:{local}", _Compiler.well_formed("?a", local), ox.Literal(lexical))
    return True


def _datatype_ok(v, dt: str) -> bool:
    """``v`` (an :class:`_Index` key) satisfies ``sh:datatype dt``, as the SPARQL engine tests it."""
    if type(v) is not ox.Literal:
        return False
    if dt == _RDFS_LITERAL:
        return True
    if v.language:
        return dt == _LANG_STRING
    actual = v.datatype.value
    if dt == _STRING or dt == _LANG_STRING:
        return actual == dt
    if actual != dt:
        return False
    return _well_formed(v.value, dt[len(_XSD):] if dt.startswith(_XSD) else "")


def _comparable(v):
    """``(kind, value)`` as :meth:`kg.rdf.shacl._Compiler.comparable` orders key ``v``; None when Python cannot tell."""
    if type(v) is str:
        return ("error", None) if v.startswith("_:") else ("s", v)
    if v.language:
        return "s", v.value
    dt = v.datatype.value
    if dt == _STRING:
        return "s", v.value
    if dt.startswith(_XSD):
        local = dt[len(_XSD):]
        if local in _INT_RANGES:
            ok = _INTEGER_LEX.match(v.value) and _I64[0] <= int(v.value) <= _I64[1]
            return ("n", int(v.value)) if ok else ("error", None)
        if local not in _CASTS:
            return "s", v.value
    return None


def _less(a, b, op: str) -> bool:
    """``COALESCE(comparable(a) op comparable(b), false)`` of the SPARQL engine, for keys ``a`` and ``b``."""
    ka, kb = _comparable(a), _comparable(b)
    if ka is not None and kb is not None:
        if ka[0] != kb[0] or ka[0] == "error":
            return False
        return ka[1] < kb[1] if op == "<" else ka[1] <= kb[1]
    if (ka or kb)[0] == "error":  # a blank node or an ill-formed integer: the comparison is an error
        return False
    expr = f"{_Compiler.comparable('?a')} {op} {_Compiler.comparable('?b')}"
    as_stored = [(_verbatim(t) or t) if isinstance(t, ox.Literal) else t for t in map(_term, (a, b))]
    return _ask(f"lt:{op}", expr, *as_stored)


# ---------------------------------------------------------------------- the compiler


def _o(node: Node):
    """The :class:`_Index` key of an rdflib term of the shapes graph."""
    return _key(_ox(node, {}))


class _PlanCompiler(_Compiler):
    """:class:`kg.rdf.shacl._Compiler`'s walk of the shapes, making Python checks instead of SPARQL."""

    def __init__(self, sg: Graph):
        super().__init__(sg, lenient_integers=False)

    def path_fn(self, node: Node, shape: Node, inverse: bool = False) -> Values:
        if isinstance(node, URIRef):
            p = str(node)
            if inverse:
                return lambda ix, n: ix.subjects(n, p)
            return lambda ix, n: ix.objects(n, p)
        if self.sg.value(node, RDF.first) is not None:
            steps = [self.path_fn(n, shape, inverse) for n in Collection(self.sg, node)]
            if inverse:
                steps.reverse()

            def sequence(ix, n):
                nodes = {n}
                for step in steps:
                    nodes = {y for x in nodes for y in step(ix, x)}
                return nodes
            return sequence
        if (inner := self.sg.value(node, SH.inversePath)) is not None:
            return self.path_fn(inner, shape, not inverse)
        if (alt := self.sg.value(node, SH.alternativePath)) is not None:
            options = [self.path_fn(n, shape, inverse) for n in Collection(self.sg, alt)]
            return lambda ix, n: {y for f in options for y in f(ix, n)}
        for op, start in ((SH.zeroOrMorePath, True), (SH.oneOrMorePath, False), (SH.zeroOrOnePath, None)):
            if (inner := self.sg.value(node, op)) is not None:
                step = self.path_fn(inner, shape, inverse)
                if start is None:
                    return lambda ix, n: {n} | set(step(ix, n))

                def closure(ix, n, step=step, start=start):
                    found = {n} if start else set()
                    todo = [n]
                    while todo:
                        for y in step(ix, todo.pop()):
                            if y not in found:
                                found.add(y)
                                todo.append(y)
                    return found
                return closure
        raise _unsupported(shape, f"path {node}")

    def conforms_fn(self, shape: Node, owner: Node) -> Callable[[_Index, Term], bool]:
        """A predicate: the node conforms to ``shape`` (its targets ignored), as ``_Compiler.conforms``."""
        if self.deactivated(shape):
            return lambda ix, v: True
        if (shape, SH.sparql, None) in self.sg:
            raise _unsupported(owner, "sh:sparql in a shape used by sh:node/sh:or/sh:and/sh:not/sh:xone")
        rows = [r for r, *_ in self.checks(shape)]
        token = object()

        def conforms(ix, v):  # memoised per index: many focus nodes share one value (a context, a role)
            key = (token, v)
            found = ix.memo.get(key)
            if found is None:
                found = ix.memo[key] = not any(next(iter(r(ix, v)), None) is not None for r in rows)
            return found
        return conforms

    def checks(self, shape: Node, *, details: bool = False) -> Iterator[tuple]:
        """(rows, component, owning shape, argument) in the order of ``_Compiler.patterns``."""
        self.check_known(shape)
        if self.deactivated(shape):
            return
        path_node = self.sg.value(shape, SH.path)
        values: Values = self.path_fn(path_node, shape) if path_node is not None else (lambda ix, f: (f,))

        def each(test):  # rows (f, v) of the values v that fail ``test``
            return lambda ix, f: ((f, v) for v in values(ix, f) if not test(ix, v))

        for n in self.sg.objects(shape, SH.minCount):
            if int(n) > 0:
                if path_node is None:
                    raise _unsupported(shape, "sh:minCount on a node shape")
                yield (lambda ix, f, k=int(n): iter(((f, None),) if len(values(ix, f)) < k else ())), \
                    "MinCountConstraintComponent", shape, str(n)
        for n in self.sg.objects(shape, SH.maxCount):
            if path_node is None:
                raise _unsupported(shape, "sh:maxCount on a node shape")
            yield (lambda ix, f, k=int(n): iter(((f, None),) if len(values(ix, f)) > k else ())), \
                "MaxCountConstraintComponent", shape, str(n)
        for c in sorted(self.sg.objects(shape, SH["class"])):
            yield each(lambda ix, v, c=_o(c): ix.has_class(v, c)), "ClassConstraintComponent", shape, str(c)
        for dt in sorted(self.sg.objects(shape, SH.datatype)):
            yield each(lambda ix, v, dt=_o(dt): _datatype_ok(v, dt)), "DatatypeConstraintComponent", shape, str(dt)
        for kind in self.sg.objects(shape, SH.nodeKind):
            if kind not in _KINDS:
                raise _unsupported(shape, f"sh:nodeKind {kind}")
            yield each(lambda ix, v, ok=_KINDS[kind]: _kind(v) in ok), "NodeKindConstraintComponent", shape, \
                str(kind)
        for lst in self.sg.objects(shape, SH.languageIn):
            listed = [str(x).lower() for x in self.shapes_list(lst, shape)]
            langs = frozenset(listed)

            def language_ok(ix, v, langs=langs):
                if type(v) is not ox.Literal:
                    return False
                tag = (v.language or "").lower()
                return tag in langs or (tag.split("-", 1)[0] if "-" in tag else "") in langs
            yield each(language_ok), "LanguageInConstraintComponent", shape, ", ".join(f'"{x}"' for x in listed)
        for pred, op, comp in ((SH.lessThan, "<", "LessThanConstraintComponent"),
                               (SH.lessThanOrEquals, "<=", "LessThanOrEqualsConstraintComponent")):
            for other in sorted(self.sg.objects(shape, pred)):
                if not isinstance(other, URIRef):
                    raise _unsupported(shape, f"{pred} with a path")
                o = str(other)
                yield (lambda ix, f, o=o, op=op: ((f, v) for v in values(ix, f) for w in ix.objects(f, o)
                                                  if not _less(v, w, op))), comp, shape, str(other)
        for target in self.sg.objects(shape, SH.node):
            yield each(self.conforms_fn(target, shape)), "NodeConstraintComponent", shape, str(target)
            if details:  # the results of the node shape at each value, as the SPARQL engine reports them
                for rows, comp, owner, arg in self.checks(target, details=True):
                    yield (lambda ix, f, rows=rows, token=object(): (
                        r for v in values(ix, f) for r in ix.memoised(token, v, rows))), comp, owner, arg
        for pred, comp in ((SH["or"], "OrConstraintComponent"), (SH["and"], "AndConstraintComponent"),
                           (SH.xone, "XoneConstraintComponent")):
            for lst in self.sg.objects(shape, pred):
                members = [self.conforms_fn(s, shape) for s in self.shapes_list(lst, shape)]
                if pred == SH["or"]:
                    test = lambda ix, v, ms=members: any(m(ix, v) for m in ms)  # noqa: E731
                elif pred == SH["and"]:
                    test = lambda ix, v, ms=members: all(m(ix, v) for m in ms)  # noqa: E731
                else:
                    test = lambda ix, v, ms=members: sum(m(ix, v) for m in ms) == 1  # noqa: E731
                yield each(test), comp, shape, str(lst)
        for target in self.sg.objects(shape, SH["not"]):
            inner = self.conforms_fn(target, shape)
            yield each(lambda ix, v, inner=inner: not inner(ix, v)), "NotConstraintComponent", shape, str(target)
        for prop in sorted(self.sg.objects(shape, SH.property)):
            if path_node is not None:
                raise _unsupported(shape, "sh:property of a property shape")
            yield from self.checks(prop, details=details)

    def plan(self) -> Plan:
        sg = self.sg
        roots = {s for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
                 for s in sg.subjects(p, None)}
        roots |= {s for s in sg.subjects(RDF.type, RDFS.Class) if (s, RDF.type, SH.NodeShape) in sg}
        by_shape = {}
        for c in _Compiler(sg, lenient_integers=False).compile():  # the SPARQL constraints, as compiled there
            if c.sparql:
                by_shape.setdefault(c.shape, []).append(c)
        shapes = []
        for shape in sorted(roots, key=str):
            if self.deactivated(shape):
                continue
            classes = sorted(sg.objects(shape, SH.targetClass))
            if (shape, RDF.type, RDFS.Class) in sg:
                classes.append(shape)
            checks = tuple(_Check(self.record(owner, comp, "", argument=arg), rows)
                           for rows, comp, owner, arg in self.checks(shape, details=True))
            shapes.append(_Shape(
                classes=tuple(_o(c) for c in classes),
                subjects_of=tuple(_o(p) for p in sorted(sg.objects(shape, SH.targetSubjectsOf))),
                objects_of=tuple(_o(p) for p in sorted(sg.objects(shape, SH.targetObjectsOf))),
                nodes=tuple(_o(n) for n in sorted(sg.objects(shape, SH.targetNode))),
                checks=checks, sparql=tuple(by_shape.get(shape, ()))))
        preds: frozenset[str] | None = frozenset()
        for shape in shapes:
            for c in shape.sparql:
                more = _predicates(c.query)
                preds = None if preds is None or more is None else preds | more
        return Plan(sg, tuple(shapes), preds)


_KINDS = {
    SH.IRI: "I", SH.BlankNode: "B", SH.Literal: "L", SH.BlankNodeOrIRI: "BI", SH.BlankNodeOrLiteral: "BL",
    SH.IRIOrLiteral: "IL",
}


def _kind(v) -> str:
    """``"I"``, ``"B"`` or ``"L"``: the node kind of an :class:`_Index` key."""
    if type(v) is not str:
        return "L"
    return "B" if v.startswith("_:") else "I"


def compile_plan(shapes: Graph) -> Plan:
    """Compile a SHACL shapes graph for :func:`run_plan`.

    Raises
    ------
    OntologyError
        [E032] for a SHACL feature the compiler does not know.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> [c.constraint.component for s in compile_plan(g).shapes for c in s.checks]
    ['MinCountConstraintComponent']
    """
    return _PlanCompiler(shapes).plan()


_PLANS: dict = {}  # (path, mtime, size) -> Plan: a pure function of the shapes file


def plan_for(shapes: Graph | str | os.PathLike | None = None) -> Plan:
    """The :class:`Plan` of a shapes graph, or of a shapes file (``ontology/shapes.ttl`` by default), compiled once.

    Raises
    ------
    OntologyError
        [E031] when the shapes file is missing; [E032] for a feature the compiler does not know.

    Examples
    --------
    >>> plan_for() is plan_for()
    True
    """
    if isinstance(shapes, Graph):
        return compile_plan(shapes)
    path = Path(shapes) if shapes is not None else shapes_path()
    if not path.is_file():
        raise OntologyError(Errors.E031.format(path=path))
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key not in _PLANS:
        _PLANS[key] = compile_plan(Graph().parse(str(path), format="turtle"))
    return _PLANS[key]


def _focus(ix: _Index, shape: _Shape) -> set:
    found: set = set()
    for c in shape.classes:
        found |= ix.instances(c)
    for p in shape.subjects_of:
        found.update(s for s, preds in ix.spo.items() if p in preds)
    for p in shape.objects_of:
        found.update(o for preds in ix.spo.values() for o in preds.get(p, ()))
    found.update(shape.nodes)
    return found


def run_plan(quads: Iterable, plan: Plan) -> tuple[list[Result], int]:
    """Check ``quads`` (pyoxigraph quads or triples, literals as written) against a plan.

    Returns
    -------
    (list of Result, int)
        One result per row the SPARQL engine would give, in its order of constraints,
        and the number of distinct triples checked.

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     [] sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .''')
    >>> x = ox.NamedNode("urn:x")
    >>> results, n = run_plan([ox.Quad(x, ox.NamedNode(str(RDF.type)), ox.NamedNode("urn:C"))], compile_plan(g))
    >>> [(r.focus.value, r.constraint.component) for r in results], n
    ([('urn:x', 'MinCountConstraintComponent')], 1)
    """
    paused = gc.isenabled()  # many small objects, none cyclic: collecting while indexing only costs time
    gc.disable()
    try:
        return _run(quads, plan)
    finally:
        if paused:
            gc.enable()


def _run(quads: Iterable, plan: Plan) -> tuple[list[Result], int]:
    ix = _Index(quads, plan.sparql_predicates)
    out: list[Result] = []
    store = None
    for shape in plan.shapes:
        focus = _focus(ix, shape)
        if not focus:
            continue
        for check in shape.checks:
            c = check.constraint
            rows = check.rows
            for f in focus:
                for fnode, value in rows(ix, f):
                    out.append(Result(c, _term(fnode), None if value is None else _term(value)))
        for c in shape.sparql:
            if store is None:
                store = ox.Store()
                store.extend(q if isinstance(q, ox.Quad) else ox.Quad(*q) for q in ix.kept)
            seen = set()
            solutions = store.query(c.query, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]
            for row in solutions:
                bound = tuple((n, row[n]) for n in names if row[n] is not None)
                values = dict(bound)
                this = values.get("this")
                if this is None or _key(this) not in focus or bound in seen:
                    continue
                seen.add(bound)
                out.append(Result(c, this, values.get("value"), values.get("path"), bound))
    return out, ix.triples
