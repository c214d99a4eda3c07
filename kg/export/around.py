"""The neighbourhood of one node across a whole archive, read from an oxigraph store by SPARQL.

``kg view DIR/store --around NAME`` draws it. Only what the view needs is fetched: the nodes
within ``depth`` links of the focus (over the relations the view draws, through articles dated
in the range asked), the links between them, their names and posts, and the evidence of the
nodes drawn (mentions and facts, with the text of the articles they are read in). That subgraph
goes through the one projection (:func:`kg.export.project.to_networkx`) into the same view.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Sequence

import networkx as nx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.dates import iso_prefix
from kg.errors import Errors, InputError
from kg.export.html import View, build_view
from kg.export.project import NODE_TYPES
from kg.rdf.vocab import ITSRDF, NIF, NKG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from kg.store.store import open_store

__all__ = ["DateRange", "around_view", "find_node"]

_BATCH = 1500  # IRIs per VALUES block
_CLASSES = tuple(dict.fromkeys(c for t in NODE_TYPES for c in t.classes))
_CLASS_SET = frozenset(_CLASSES)
_ARTICLE_CLASSES = frozenset(next(t for t in NODE_TYPES if t.key == "article").classes)
_NAME_PROPS = (SCHEMA.name, SCHEMA.alternateName)
#: Literals of a drawn node that the view reads (names, titles, dates); the others are left in the store.
_LITERAL_PROPS = (SCHEMA.name, SCHEMA.headline, SKOS.prefLabel, RDFS.label, SCHEMA.alternateName, SKOS.altLabel,
                  SCHEMA.description, SCHEMA.datePublished, SCHEMA.startDate)
_PREFIXES = " ".join(f"PREFIX {p}: <{ns}>" for p, ns in (
    ("schema", SCHEMA), ("org", ORG), ("nif", NIF), ("itsrdf", ITSRDF), ("prov", PROV), ("rdf", RDF), ("nkg", NKG)))


@dataclass(frozen=True)
class DateRange:
    """Article dates kept: from ``start`` to ``end`` inclusive, each ``YYYY``, ``YYYY-MM`` or
    ``YYYY-MM-DD`` (a month or year covers all its days), ``None`` for open.

    Examples
    --------
    >>> r = DateRange.of("2023-02", "2023-03")
    >>> r.holds("2023-02-01"), r.holds("2023-03-31"), r.holds("2023-04-01"), r.holds(None)
    (True, True, False, False)
    >>> DateRange().holds(None)
    True
    """

    start: str | None = None
    end: str | None = None

    @property
    def open(self) -> bool:
        """True when no bound is set: every article is kept, dated or not."""
        return self.start is None and self.end is None

    @classmethod
    def of(cls, start: str | None = None, end: str | None = None) -> DateRange:
        """The range of two option values, checked.

        Raises
        ------
        InputError
            ``[E150]`` for a value that is not a date, ``[E151]`` when ``start`` is after ``end``.
        """
        values = []
        for option, text in (("--from", start), ("--to", end)):
            if text is None or not str(text).strip():
                values.append(None)
                continue
            text = str(text).strip()
            if not iso_prefix(text):
                raise InputError(Errors.E150.format(option=option, text=text))
            values.append(text)
        if values[0] and values[1] and values[0] > values[1][:len(values[0])]:
            raise InputError(Errors.E151.format(start=values[0], end=values[1]))
        return cls(*values)

    def holds(self, date: str | None) -> bool:
        """Whether an article of this date (``YYYY-MM-DD`` …, ``None`` when unknown) is kept."""
        if self.open:
            return True
        if not date:
            return False
        return (self.start is None or date >= self.start) and (self.end is None or date[:len(self.end)] <= self.end)


# --------------------------------------------------------------------------- SPARQL


def _term(t) -> URIRef | Literal | BNode:
    """A pyoxigraph term as rdflib's."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dtype = t.datatype.value
    return Literal(t.value, datatype=None if dtype == str(XSD.string) else URIRef(dtype))


def _values(iris: Iterable[str]) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in iris)


class _Reader:
    """SPARQL over the union of a store's graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def select(self, body: str) -> Iterator:
        yield from self.store.query(f"{_PREFIXES} {body}", use_default_graph_as_union=True)

    def ask(self, body: str) -> bool:
        return bool(self.store.query(f"{_PREFIXES} {body}", use_default_graph_as_union=True))

    def batched(self, iris: Iterable[str], body: str) -> Iterator:
        """``body`` once per batch of ``iris``, each standing in for ``@@VALUES@@``."""
        iris = sorted(set(iris))
        for k in range(0, len(iris), _BATCH):
            yield from self.select(body.replace("@@VALUES@@", _values(iris[k:k + _BATCH])))


_CLASS_VALUES = " ".join(f"<{c}>" for c in _CLASSES)


def find_node(store: ox.Store, name: str) -> str:
    """The IRI of the node named ``name`` (``schema:name`` or ``schema:alternateName``), or ``name``
    itself when it is the IRI of a node the view draws.

    An exact name is taken first, then one equal but for case and spaces; a node with that
    ``schema:name`` comes before one with that alternate name.

    Raises
    ------
    InputError
        ``[E060]`` when no node has that name, listing close names; ``[E152]`` when several do;
        ``[E153]`` for an empty or blank name (it would match nothing, or everything).

    Examples
    --------
    >>> s = ox.Store()
    >>> p = ox.NamedNode("urn:x:p")
    >>> s.add(ox.Quad(p, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.Person))))
    >>> s.add(ox.Quad(p, ox.NamedNode(str(SCHEMA.name)), ox.Literal("张三", language="zh")))
    >>> find_node(s, "张三"), find_node(s, "urn:x:p")
    ('urn:x:p', 'urn:x:p')
    >>> find_node(s, "张四")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: [E060] no node named '张四' in the graph (close names: 张三)
    >>> find_node(s, " ")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: [E153] --around needs the name or IRI of a node, not ' '
    """
    if not name or not name.strip() or not name.strip().strip("<>").strip():
        raise InputError(Errors.E153.format(name=name))
    reader = _Reader(store)
    text = name.strip().strip("<>")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", text):
        try:
            iri = ox.NamedNode(text)
        except ValueError:
            iri = None
        if iri is not None and reader.ask(f"ASK {{ {iri} a ?t . VALUES ?t {{ {_CLASS_VALUES} }} }}"):
            return text
    drawn = f"?n a ?t . VALUES ?t {{ {_CLASS_VALUES} }} FILTER(isIRI(?n))"
    props = f"VALUES ?p {{ <{SCHEMA.name}> <{SCHEMA.alternateName}> }}"
    literal = ox.Literal(text)
    langs = " ".join(str(ox.Literal(text, language=lang)) for lang in ("zh", "en"))
    hits = [(0 if row["p"].value == str(SCHEMA.name) else 1, row["n"].value) for row in reader.select(
        f"SELECT DISTINCT ?n ?p WHERE {{ {props} VALUES ?name {{ {literal} {langs} }} ?n ?p ?name . {drawn} }}")]
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    if not hits:  # every name, to match but for case and spaces, or to list close ones
        for row in reader.select(f"SELECT ?n ?p ?name WHERE {{ {props} ?n ?p ?name . }}"):
            names[row["name"].value].append((0 if row["p"].value == str(SCHEMA.name) else 1, row["n"].value))
        norm = lambda s: " ".join(s.split()).casefold()  # noqa: E731
        hits = [h for n, hs in names.items() if norm(n) == norm(text) for h in hs]
    if hits:
        best = min(rank for rank, _ in hits)
        nodes = sorted({n for rank, n in hits if rank == best})
        if len(nodes) == 1:
            return nodes[0]
        raise InputError(Errors.E152.format(name=name, choices=", ".join(nodes[:8])))
    close = sorted({n for n in names if text and (text in n or n in text) and len(n) > 1},
                   key=lambda n: (abs(len(n) - len(text)), n))[:8]
    close += [n for n in difflib.get_close_matches(text, list(names), n=8, cutoff=0.5) if n not in close]
    hint = f" (close names: {', '.join(close[:8])})" if close else " (and no close name)"
    raise InputError(Errors.E060.format(name=name, hint=hint))


# --------------------------------------------------------------------------- the neighbourhood


def _neighbours(reader: _Reader, frontier: Iterable[str], dates: DateRange,
                article_dates: dict[str, str | None]) -> set[str]:
    """The nodes the view draws one link away from ``frontier``; articles only when dated in range."""
    near: set[str] = set()
    for pattern in ("?n ?p ?x", "?x ?p ?n", "?m org:member ?n ; org:organization ?x", "?m org:organization ?n ; org:member ?x"):
        near.update(row["x"].value for row in reader.batched(
            frontier, f"SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ @@VALUES@@ }} {pattern} . FILTER(isIRI(?x)) }}"))
    found: dict[str, bool] = {}
    for row in reader.batched(near, "SELECT ?x ?t WHERE { VALUES ?x { @@VALUES@@ } ?x a ?t }"):
        t = URIRef(row["t"].value)
        if t in _CLASS_SET:
            found[row["x"].value] = found.get(row["x"].value, False) or t in _ARTICLE_CLASSES
    articles = [x for x, is_article in found.items() if is_article and x not in article_dates]
    for row in reader.batched(articles, "SELECT ?a (MIN(STR(?d)) AS ?date) WHERE { VALUES ?a { @@VALUES@@ } "
                                        "OPTIONAL { ?a schema:datePublished ?d } } GROUP BY ?a"):
        article_dates[row["a"].value] = row["date"].value if row["date"] is not None else None
    return {x for x, is_article in found.items() if not is_article or dates.holds(article_dates.get(x))}


def _links(reader: _Reader, nodes: set[str]) -> list[tuple[str, str]]:
    """Every link the view draws between two of ``nodes``: triples and memberships."""
    out = []
    for row in reader.batched(nodes, "SELECT ?s ?o WHERE { VALUES ?s { @@VALUES@@ } ?s ?p ?o . FILTER(isIRI(?o)) }"):
        s, o = row["s"].value, row["o"].value
        if o in nodes and s != o:
            out.append((s, o))
    for row in reader.batched(nodes, "SELECT ?s ?o WHERE { VALUES ?s { @@VALUES@@ } "
                                     "?m org:member ?s ; org:organization ?o . }"):
        s, o = row["s"].value, row["o"].value
        if o in nodes and s != o:
            out.append((s, o))
    return out


def _rank(focus: str, layers: dict[str, int], links: Sequence[tuple[str, str]], max_nodes: int) -> list[str]:
    """The ``max_nodes`` nodes to draw: the nearest first, then the most linked, then by IRI."""
    net = nx.Graph()
    net.add_nodes_from(layers)
    net.add_edges_from(links)
    order = sorted(layers, key=lambda n: (n != focus, layers[n], -net.degree(n), n))
    return order[:max_nodes]


# --------------------------------------------------------------------------- the subgraph


class _Subgraph:
    """The triples of the drawn nodes that the projection reads, gathered into an rdflib graph."""

    def __init__(self, reader: _Reader, dates: DateRange, article_dates: dict[str, str | None]):
        self.reader, self.dates, self.article_dates = reader, dates, article_dates
        self.g = Graph()
        self.terms: dict = {}

    def term(self, t):
        got = self.terms.get(t)
        if got is None:
            got = self.terms[t] = _term(t)
        return got

    def add(self, s, p, o) -> None:
        """Add one triple of pyoxigraph terms."""
        self.g.add((self.term(s), self.term(p), self.term(o)))

    def nodes(self, kept: set[str]) -> None:
        props = " ".join(f"<{p}>" for p in _LITERAL_PROPS)
        for row in self.reader.batched(kept, "SELECT ?s ?p ?o WHERE { VALUES ?s { @@VALUES@@ } ?s ?p ?o . "
                                              f"FILTER(isIRI(?o) || ?p IN ({props.replace(' ', ', ')})) }}"):
            p, o = row["p"], row["o"]
            if isinstance(o, ox.NamedNode) and p.value != str(RDF.type) and o.value not in kept:
                continue
            self.add(row["s"], p, o)

    def memberships(self, kept: set[str]) -> set[str]:
        """The posts of the drawn people reported in the range; returns the spans they were read from."""
        posts: dict[str, list] = defaultdict(list)
        for row in self.reader.batched(kept, "SELECT ?m ?p ?o WHERE { VALUES ?s { @@VALUES@@ } "
                                             "?m org:member ?s ; a org:Membership ; ?p ?o . }"):
            posts[row["m"].value].append((row["p"], row["o"]))
        spans, others = set(), set()
        for m, triples in posts.items():
            reported = [o for p, o in triples if p.value == str(NKG.reportedOn)]
            if not self.dates.open and reported and not any(self.dates.holds(o.value) for o in reported):
                continue  # only reported outside the range
            for p, o in triples:
                if p.value == str(NKG.reportedOn) and not self.dates.holds(o.value):
                    continue
                self.add(ox.NamedNode(m), p, o)
                if p.value == str(PROV.wasDerivedFrom):
                    spans.add(o.value)
                elif p.value in (str(ORG.organization), str(ORG.role)) and o.value not in kept:
                    others.add(o.value)
        for row in self.reader.batched(others, "SELECT ?s ?p ?o WHERE { VALUES ?s { @@VALUES@@ } ?s ?p ?o . "
                                               f"FILTER(?p IN (schema:name, <{RDFS.label}>)) }}"):
            self.add(row["s"], row["p"], row["o"])
        return spans

    def evidence(self, kept: set[str], spans: set[str]) -> None:
        """Mentions of the drawn nodes and the facts about them, with their spans, contexts and articles."""
        reader, mentions = self.reader, []
        for row in reader.batched(kept, "SELECT ?m ?n WHERE { VALUES ?n { @@VALUES@@ } ?m itsrdf:taIdentRef ?n }"):
            mentions.append((row["m"], row["n"]))
            spans.add(row["m"].value)
        facts, about = [], set()  # reified facts and statements about the drawn nodes
        for prop in ("rdf:subject", "rdf:object", "schema:author", "nkg:atEvent"):
            about.update(row["f"].value for row in reader.batched(
                kept, f"SELECT ?f WHERE {{ VALUES ?x {{ @@VALUES@@ }} ?f {prop} ?x }}"))
        for row in reader.batched(about, "SELECT ?f ?p ?o WHERE { VALUES ?f { @@VALUES@@ } ?f ?p ?o . FILTER(?p IN "
                                         "(rdf:type, rdf:subject, rdf:predicate, rdf:object, schema:author, nkg:atEvent, "
                                         "prov:wasDerivedFrom)) }"):
            if row["p"].value == str(RDF.type) and row["o"].value != str(NKG.Statement):
                continue
            facts.append((row["f"], row["p"], row["o"]))
            if row["p"].value == str(PROV.wasDerivedFrom):
                spans.add(row["o"].value)
        for row in reader.batched(kept, "SELECT ?s ?o WHERE { VALUES ?s { @@VALUES@@ } ?s prov:wasDerivedFrom ?o }"):
            facts.append((row["s"], ox.NamedNode(str(PROV.wasDerivedFrom)), row["o"]))
            spans.add(row["o"].value)
        where: dict[str, tuple] = {}
        for row in reader.batched(spans, "SELECT ?s ?c ?b ?e WHERE { VALUES ?s { @@VALUES@@ } "
                                         "?s nif:referenceContext ?c ; nif:beginIndex ?b ; nif:endIndex ?e }"):
            where[row["s"].value] = (row["c"], row["b"], row["e"])
        contexts: dict[str, tuple] = {}
        for row in reader.batched({c.value for c, _, _ in where.values()},
                                  "SELECT ?c ?text ?a ?title ?date WHERE { VALUES ?c { @@VALUES@@ } "
                                  "?c nif:isString ?text ; nif:sourceUrl ?a . OPTIONAL { ?a schema:headline ?title } "
                                  "OPTIONAL { ?a schema:datePublished ?date } }"):
            date = row["date"].value if row["date"] is not None else None
            if self.dates.holds(date):
                contexts.setdefault(row["c"].value, (row["text"], row["a"], []))[2].append((row["title"], row["date"]))
        for c, (text, art, extras) in contexts.items():
            self.add(ox.NamedNode(c), ox.NamedNode(str(NIF.isString)), text)
            self.add(ox.NamedNode(c), ox.NamedNode(str(NIF.sourceUrl)), art)
            for title, date in extras:  # the title and date of an article that is not drawn
                if title is not None:
                    self.add(art, ox.NamedNode(str(SCHEMA.headline)), title)
                if date is not None:
                    self.add(art, ox.NamedNode(str(SCHEMA.datePublished)), date)
        kept_spans = {s for s, (c, _, _) in where.items() if c.value in contexts}
        for s in kept_spans:
            c, b, e = where[s]
            node = ox.NamedNode(s)
            self.add(node, ox.NamedNode(str(NIF.referenceContext)), c)
            self.add(node, ox.NamedNode(str(NIF.beginIndex)), b)
            self.add(node, ox.NamedNode(str(NIF.endIndex)), e)
        for m, n in mentions:
            if m.value in kept_spans:
                self.add(m, ox.NamedNode(str(ITSRDF.taIdentRef)), n)
        for f, p, o in facts:
            if p.value != str(PROV.wasDerivedFrom) or o.value in kept_spans:
                self.add(f, p, o)


def around_view(store: str | os.PathLike | ox.Store, name: str, *, depth: int = 2, start: str | None = None,
                end: str | None = None, max_nodes: int = 2000, types: Iterable[str] | None = None) -> View:
    """The view of the neighbourhood of the node named ``name`` in a whole store.

    Parameters
    ----------
    store : path or pyoxigraph.Store
        A store folder (``DIR/store``, or ``DIR`` holding one), a graph file (loaded into memory),
        or an open store.
    name : str
        A ``schema:name`` or ``schema:alternateName`` of the node, or its IRI.
    depth : int
        How many links away from the node a node may be (through articles, relations and posts).
    start, end : str, optional
        Keep only articles dated from ``start`` to ``end`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``),
        and what is reached through them.
    max_nodes : int
        Draw at most this many nodes: the nearest, then the most linked.
    types : iterable of str, optional
        Node types to draw, as :func:`kg.export.html.build_view`.

    Returns
    -------
    View
        Its ``focus`` is the node; ``around`` holds the name, IRI, depth and dates asked.

    Raises
    ------
    InputError
        ``[E060]`` (with close names), ``[E152]`` or ``[E153]`` as :func:`find_node`; ``[E150]``, ``[E151]`` for
        the dates; ``[E062]`` for a bad ``max_nodes`` or ``depth``.

    Examples
    --------
    >>> s = ox.Store()
    >>> a, p, q = (ox.NamedNode(f"urn:x:{k}") for k in "apq")
    >>> T, N = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(SCHEMA.name))
    >>> for node, cls in ((a, SCHEMA.NewsArticle), (p, SCHEMA.Person), (q, SCHEMA.Person)):
    ...     s.add(ox.Quad(node, T, ox.NamedNode(str(cls))))
    >>> s.add(ox.Quad(p, N, ox.Literal("张三", language="zh"))); s.add(ox.Quad(q, N, ox.Literal("李四", language="zh")))
    >>> s.add(ox.Quad(a, ox.NamedNode(str(SCHEMA.datePublished)), ox.Literal("2023-01-02", datatype=ox.NamedNode(str(XSD.date)))))
    >>> for x in (p, q): s.add(ox.Quad(a, ox.NamedNode(str(SCHEMA.mentions)), x))
    >>> v = around_view(s, "张三")
    >>> [it.names[0] for it in v.items], v.items[v.focus].iri
    (['urn:x:a', '张三', '李四'], 'urn:x:p')
    >>> [it.names[0] for it in around_view(s, "张三", start="2024").items]
    ['张三']
    """
    for what, value in (("max_nodes", max_nodes), ("depth", depth)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InputError(Errors.E062.format(value=value).replace("max_nodes", what))
    dates = DateRange.of(start, end)
    backend = store if isinstance(store, ox.Store) else open_store(store, read_only=True).backend
    reader = _Reader(backend)
    focus = find_node(backend, name)
    layers, frontier, article_dates = {focus: 0}, {focus}, {}
    for layer in range(1, depth + 1):
        frontier = _neighbours(reader, frontier, dates, article_dates) - set(layers)
        if not frontier:
            break
        layers.update((n, layer) for n in sorted(frontier))
    links = _links(reader, set(layers))
    kept = set(_rank(focus, layers, links, max_nodes))
    sub = _Subgraph(reader, dates, article_dates)
    sub.nodes(kept)
    spans = sub.memberships(kept)
    sub.evidence(kept, spans)
    view = build_view(sub.g, max_nodes=max_nodes, focus=focus, types=types, depth=depth)
    total_edges = len({(s, o) for s, o in links})
    note = view.note
    if len(layers) > len(kept):
        note = (f"Showing the {len(kept):,} nearest and most linked of {len(layers):,} nodes within {depth} "
                f"link{'s' if depth > 1 else ''}; narrow it with --from/--to, --depth or --types, "
                "or raise --max-nodes.")
    stats = replace(view.stats, total_nodes=len(layers), total_edges=max(total_edges, view.stats.edges),
                    limited=len(layers) > len(kept))
    around = {"name": name, "iri": focus, "depth": depth, "from": dates.start, "to": dates.end}
    return replace(view, stats=stats, note=note, around=around)
