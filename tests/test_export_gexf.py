"""The one projection (kg.export.project) and the GEXF / GraphML export for Gephi: nodes, labels, types, edges,
the view's attributes and the provenance filter."""

from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Graph

from kg.export.gexf import for_gephi, write_gexf, write_graphml
from kg.export.project import Evidence, to_networkx
from kg.rdf.read import read_dataset, union

ZDM = "https://w3id.org/newskg/id/person/%E5%BC%A0%E5%86%AC%E6%A2%85"
CIIR = "https://w3id.org/newskg/id/organization/%E4%B8%AD%E5%9B%BD%E5%8A%B3%E5%8A%A8%E5%85%B3%E7%B3%BB%E5%AD%A6%E9%99%A2"


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


def test_export_gexf_projection_has_what_the_view_draws(view_fixture_graph):
    net = to_networkx(view_fixture_graph)
    person = net.nodes[ZDM]
    assert (person["key"], person["names"], person["count"]) == ("person", ("张冬梅",), 1)
    assert person["articles"] == tuple(sorted(person["articles"])) and person["articles"][0] in net.graph["titles"]
    (first, *_) = person["evidence"]
    assert isinstance(first, Evidence) and first.sentence[slice(*first.spans[0])] == "张冬梅"
    assert first.vias[0] == "mention" and list(first.vias[1:]) == sorted(first.vias[1:])
    memberships = [n for n, d in net.nodes(data=True) if d["type"] == "org:Membership"]
    assert memberships and all(net.nodes[m]["key"] is None and "evidence" not in net.nodes[m] for m in memberships)
    shortcut = [d for d in net.get_edge_data(ZDM, CIIR).values() if "via" in d]
    assert [(d["relation"], d["via"] in memberships) for d in shortcut] == [("作者", True)]


def test_export_gexf_projection_ignores_input_order(view_fixture_graph):
    """The same triples added in another order give the same nodes, attributes and edges, in the same order."""
    triples = sorted(union(read_dataset(view_fixture_graph)))
    forward, backward = Graph(), Graph()
    for t in triples:
        forward.add(t)
    for t in reversed(triples):
        backward.add(t)
    one, two = to_networkx(forward), to_networkx(backward)
    assert list(one.nodes(data=True)) == list(two.nodes(data=True))
    assert list(one.edges(keys=True, data=True)) == list(two.edges(keys=True, data=True))
    assert one.graph == two.graph


def test_export_gexf_files_carry_label_type_and_iri(view_fixture_graph):
    net = to_networkx(view_fixture_graph)
    files = for_gephi(net)
    assert list(files.nodes) == list(net.nodes)
    assert {k for _, d in files.nodes(data=True) for k in d} == {"label", "type", "iri"}
    assert {k for *_, d in files.edges(data=True) for k in d} == {"label"}
    assert files.number_of_edges() == sum("via" not in d for *_, d in net.edges(data=True))


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
    from kg.cli import main

    out = tmp_path / f"g{suffix}"
    assert main(["view", str(sample_graph_file), "-o", str(out)]) == 0
    g = nx.read_gexf(out) if suffix == ".gexf" else nx.read_graphml(out)
    labels = {d.get("label") for _, d in g.nodes(data=True)}
    assert "张冬梅" in labels and g.number_of_edges() > 100


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_export_gexf_control_characters_give_well_formed_xml(tmp_path, kg_cli, suffix):
    """A headline holding U+000B (legal in Turtle, never in XML, as an older build wrote it) is written as U+FFFD."""
    import json
    import xml.etree.ElementTree as ET

    from kg.pipeline import BuildOptions, build

    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"id": "a", "title": "张三QQ在北京", "text": "张三在北京工作。"}) + "\n", encoding="utf-8")
    build(BuildOptions((str(path),), tmp_path / "out", formats=("ttl",), html=False, store=False, validate=False,
                       cache=None, jobs=1))
    graph = tmp_path / "g.ttl"
    graph.write_text((tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8").replace('"张三QQ在北京"', '"张三\\u000B在北京"'),
                     encoding="utf-8")
    code, _, err = kg_cli("view", graph, "-o", tmp_path / f"v{suffix}")
    assert code == 0, err
    text = (tmp_path / f"v{suffix}").read_text(encoding="utf-8")
    ET.fromstring(text)
    assert "张三\ufffd在北京" in text
