"""The graph's projection (:mod:`kg.export.project`) written as GEXF or GraphML for Gephi and other network tools."""

from __future__ import annotations

import os
from pathlib import Path

import networkx as nx
from rdflib import Graph

from kg.errors import Errors, OutputError
from kg.export.project import to_networkx

__all__ = ["for_gephi", "write_gexf", "write_graphml"]


def for_gephi(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """What the files carry of a projection: each node's ``label``, ``type`` and ``iri``, and
    each link with its ``label`` (the membership shortcuts are left out: the membership nodes
    and their links are there).

    Examples
    --------
    >>> from rdflib import Graph, URIRef
    >>> from kg.rdf.vocab import ORG, RDF, SCHEMA
    >>> g = Graph()
    >>> p, o, m = URIRef("urn:x:p"), URIRef("urn:x:o"), URIRef("urn:x:m")
    >>> _ = g.add((p, RDF.type, SCHEMA.Person)); _ = g.add((o, RDF.type, SCHEMA.Organization))
    >>> _ = g.add((m, RDF.type, ORG.Membership)); _ = g.add((m, ORG.member, p)); _ = g.add((m, ORG.organization, o))
    >>> net = to_networkx(g)
    >>> net.number_of_edges(), for_gephi(net).number_of_edges(), sorted(for_gephi(net).nodes["urn:x:p"])
    (3, 2, ['iri', 'label', 'type'])
    """
    out = nx.MultiDiGraph()
    for node, d in net.nodes(data=True):
        out.add_node(node, label=d["label"], type=d["type"], iri=d["iri"])
    for s, o, d in net.edges(data=True):
        if "via" not in d:
            out.add_edge(s, o, label=d["label"])
    return out


def _write(writer, graph, path, provenance: bool) -> tuple[int, int]:
    net = for_gephi(to_networkx(graph, provenance=provenance))
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer(net, path)
    except OSError as exc:
        raise OutputError(Errors.E050.format(path=path, why=exc.strerror or exc)) from exc
    return net.number_of_nodes(), net.number_of_edges()


def write_gexf(graph: Graph | str | os.PathLike, path: str | os.PathLike, *, provenance: bool = False) -> tuple[int, int]:
    """Write :func:`for_gephi` of the projection of ``graph`` as GEXF 1.2 (Gephi's own format); return ``(nodes, edges)``.

    ``graph`` and ``provenance`` are those of :func:`kg.export.project.to_networkx`.

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
    """Write :func:`for_gephi` of the projection of ``graph`` as GraphML (Gephi, yEd, Cytoscape); return ``(nodes, edges)``.

    ``graph`` and ``provenance`` are those of :func:`kg.export.project.to_networkx`.

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
