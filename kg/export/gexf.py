"""The graph's entities and their links as a networkx graph, written as GEXF or GraphML for Gephi."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.errors import Errors, OutputError
from kg.rdf.vocab import NIF, NKG, PROV, RDF, RDFS, SCHEMA
from kg.store.query import load_dataset, short_name

__all__ = ["PROVENANCE_TYPES", "to_networkx", "write_gexf", "write_graphml"]

#: Classes of the nodes that record where facts were read, left out unless asked for.
PROVENANCE_TYPES = frozenset({NIF.Context, NIF.Phrase, NIF.Paragraph, NIF.Title, NIF.String, NIF.RFC5147String,
                              RDF.Statement, NKG.Extractor, PROV.SoftwareAgent})

_LABELS = (SCHEMA.name, SCHEMA.headline, RDFS.label, SCHEMA.description, NIF.anchorOf)
_GENERIC = frozenset({NKG.Policy, PROV.SoftwareAgent})


def _label(g: Graph, node: URIRef) -> str:
    for prop in _LABELS:
        values = sorted(g.objects(node, prop), key=lambda v: (getattr(v, "language", None) != "zh", str(v)))
        if values:
            return str(values[0])
    return short_name(str(node))


def _type(types: set[URIRef]) -> str:
    specific = sorted(types - _GENERIC) or sorted(types)
    return short_name(str(specific[0])) if specific else ""


def to_networkx(graph: Graph | str | os.PathLike, *, provenance: bool = False) -> nx.MultiDiGraph:
    """Typed IRI nodes and the IRI-valued links between them, for network tools.

    Each node is an IRI with an ``rdf:type``; its attributes are ``label`` (its Chinese
    ``schema:name``, headline or ``rdfs:label``), ``type`` (the most specific class, as a
    prefixed name) and ``iri``. Each triple linking two nodes becomes an edge whose
    ``label`` is the property's prefixed name. Named graphs are merged.

    Parameters
    ----------
    graph : rdflib.Graph or path
        A graph, or a graph file / store folder that :func:`kg.store.query.load_dataset` reads.
    provenance : bool
        Keep NIF contexts, mentions, reified facts and extractors (left out by default).

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> g = Graph()
    >>> a, p = URIRef("urn:x:a"), URIRef("urn:x:p")
    >>> _ = g.add((a, RDF.type, SCHEMA.NewsArticle)); _ = g.add((a, SCHEMA.headline, Literal("标题", lang="zh")))
    >>> _ = g.add((p, RDF.type, SCHEMA.Person)); _ = g.add((a, SCHEMA.author, p))
    >>> n = to_networkx(g)
    >>> n.nodes["urn:x:a"]["label"], [(u, v, d["label"]) for u, v, d in n.edges(data=True)]
    ('标题', [('urn:x:a', 'urn:x:p', 'schema:author')])
    """
    if not isinstance(graph, Graph):
        graph = load_dataset(graph)
    g = Graph()
    for s, p, o, *_ in (graph.quads((None, None, None, None)) if hasattr(graph, "quads") else graph):
        g.add((s, p, o))
    types: dict[URIRef, set[URIRef]] = {}
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef):
            types.setdefault(s, set()).add(t)
    keep = {s for s, ts in types.items() if provenance or not ts <= PROVENANCE_TYPES}
    out = nx.MultiDiGraph()
    for node in sorted(keep):
        out.add_node(str(node), label=_label(g, node), type=_type(types[node]), iri=str(node))
    for s, p, o in sorted(g):
        if p != RDF.type and s in keep and o in keep and not isinstance(o, Literal):
            out.add_edge(str(s), str(o), label=short_name(str(p)))
    return out


def _write(writer, graph, path, provenance: bool) -> tuple[int, int]:
    net = to_networkx(graph, provenance=provenance)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(net, path)
    except OSError as exc:
        raise OutputError(Errors.E050.format(path=path, why=exc.strerror or exc)) from exc
    return net.number_of_nodes(), net.number_of_edges()


def write_gexf(graph: Graph | str | os.PathLike, path: str | os.PathLike, *, provenance: bool = False) -> tuple[int, int]:
    """Write :func:`to_networkx` of ``graph`` as GEXF 1.2 (Gephi's own format); return ``(nodes, edges)``.

    Raises
    ------
    OutputError
        [E050] when ``path`` cannot be written.

    Examples
    --------
    >>> write_gexf("output/graph.nq", "output/graph.gexf")  # doctest: +SKIP
    (1034, 2175)
    """
    return _write(nx.write_gexf, graph, path, provenance)


def write_graphml(graph: Graph | str | os.PathLike, path: str | os.PathLike, *,
                  provenance: bool = False) -> tuple[int, int]:
    """Write :func:`to_networkx` of ``graph`` as GraphML (Gephi, yEd, Cytoscape); return ``(nodes, edges)``.

    Raises
    ------
    OutputError
        [E050] when ``path`` cannot be written.

    Examples
    --------
    >>> write_graphml("output/graph.nq", "output/graph.graphml")  # doctest: +SKIP
    (1034, 2175)
    """
    return _write(nx.write_graphml, graph, path, provenance)
