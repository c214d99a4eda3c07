"""The GEXF / GraphML export for Gephi: nodes, labels, types, edges and the provenance filter."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.export.gexf import to_networkx, write_gexf, write_graphml


def test_export_gexf_nodes_and_edges(query_fixture_graph):
    net = to_networkx(query_fixture_graph)
    people = {d["label"] for _, d in net.nodes(data=True) if d["type"] == "schema:Person"}
    assert {"张冬梅", "苏炜", "刘景芝"} <= people
    assert {d["label"] for *_, d in net.edges(data=True)} >= {"schema:author"}
    assert all(d["iri"] == n for n, d in net.nodes(data=True))


@pytest.mark.parametrize("provenance", [False, True])
def test_export_gexf_provenance_filter(query_fixture_graph, provenance):
    types = {d["type"] for _, d in to_networkx(query_fixture_graph, provenance=provenance).nodes(data=True)}
    assert ("nif:Context" in types) is provenance


@pytest.mark.parametrize("writer, reader, suffix", [
    (write_gexf, nx.read_gexf, ".gexf"),
    (write_graphml, nx.read_graphml, ".graphml"),
])
def test_export_gexf_files_read_back(query_fixture_graph, tmp_path, writer, reader, suffix):
    path = tmp_path / f"graph{suffix}"
    nodes, edges = writer(query_fixture_graph, path)
    back = reader(path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (nodes, edges)
    assert nodes > 0 and edges > 0


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_export_gexf_kg_view_writes_network_files_for_gephi(sample_graph_file, tmp_path, suffix):
    import networkx as nx

    from kg.cli import main

    out = tmp_path / f"g{suffix}"
    assert main(["view", str(sample_graph_file), "-o", str(out)]) == 0
    g = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert "张冬梅" in labels and g.number_of_edges() > 100
