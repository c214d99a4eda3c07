"""kg.rdf.read, the one graph reader: every suffix of its table round-trips, by rdflib and by pyoxigraph; errors name the file."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import GraphParseError, InputError
from kg.rdf.read import (
    GRAPH_FILES, GRAPH_FORMATS, find_graph_file, graph_format, read_dataset, read_into, read_quads, union,
)
from kg.rdf.vocab import ID, SCHEMA, XSD

ARTICLE_GRAPH = ID["graph/a1"]
DEFAULT_TRIPLES = [
    (ID["person/李小华"], SCHEMA.name, Literal("李小华", lang="zh")),
    (ID["person/李小华"], SCHEMA.affiliation, ID["organization/全总"]),
    (ID["organization/全总"], SCHEMA.name, Literal("ACFTU")),
]
NAMED_TRIPLES = [
    (ID["article/a1"], SCHEMA.headline, Literal("标题", lang="zh")),
    (ID["article/a1"], SCHEMA.position, Literal("3", datatype=XSD.integer)),
]


def _dataset() -> Dataset:
    ds = Dataset()
    for t in DEFAULT_TRIPLES:
        ds.add(t)
    for t in NAMED_TRIPLES:
        ds.graph(ARTICLE_GRAPH).add(t)
    return ds


def _expected(named_graphs: bool) -> set[tuple]:
    """The quads a file of the format holds, as N-Triples terms (graph None: the default graph)."""
    graph = ARTICLE_GRAPH.n3() if named_graphs else None
    return ({(s.n3(), p.n3(), o.n3(), None) for s, p, o in DEFAULT_TRIPLES}
            | {(s.n3(), p.n3(), o.n3(), graph) for s, p, o in NAMED_TRIPLES})


def _serialize(ds: Dataset, fmt) -> bytes:
    """``ds`` in ``fmt``, by rdflib; a format without named graphs gets the union of the graphs."""
    if not fmt.named_graphs:
        return union(ds).serialize(format=fmt.rdflib, encoding="utf-8")
    if fmt.rdflib != "json-ld":
        return ds.serialize(format=fmt.rdflib, encoding="utf-8")
    # rdflib wraps the default graph in a node with "@graph" and no "@id", which a strict JSON-LD
    # reader (pyoxigraph) takes for a blank-node named graph: its nodes go to the top level here
    top = []
    for item in json.loads(ds.serialize(format="json-ld")):
        top += item["@graph"] if "@graph" in item and "@id" not in item else [item]
    return json.dumps({"@graph": top}, ensure_ascii=False).encode("utf-8")


def _rdflib_quads(ds: Dataset) -> set[tuple]:
    names = ((s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads((None, None, None, None)))
    return {(s.n3(), p.n3(), o.n3(), None if g == DATASET_DEFAULT_GRAPH_ID else g.n3()) for s, p, o, g in names}


def _ox_quads(quads) -> set[tuple]:
    return {(str(q.subject), str(q.predicate), str(q.object),
             None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)) for q in quads}


@pytest.mark.parametrize("suffix, fmt", sorted(GRAPH_FORMATS.items()), ids=sorted(GRAPH_FORMATS))
def test_read_every_suffix_round_trips(tmp_path, suffix, fmt):
    path = tmp_path / f"graph{suffix.upper() if suffix == '.ttl' else suffix}"
    path.write_bytes(_serialize(_dataset(), fmt))
    expected = _expected(fmt.named_graphs)
    assert graph_format(path) == fmt
    assert _rdflib_quads(read_dataset(path)) == expected
    assert _ox_quads(read_quads(path)) == expected
    store = ox.Store()
    read_into(store, path)
    assert _ox_quads(store) == expected
    assert len(union(read_dataset([path]))) == len(DEFAULT_TRIPLES) + len(NAMED_TRIPLES)


@pytest.mark.parametrize("reader", [
    read_dataset,
    lambda p: list(read_quads(p)),
    lambda p: read_into(ox.Store(), p),
], ids=["read_dataset", "read_quads", "read_into"])
@pytest.mark.parametrize("name, text, error, code", [
    ("bad.ttl", "<urn:a> <urn:b> .", GraphParseError, "[E010]"),
    ("bad.nq", "<urn:a> <urn:b> <urn:c> <urn:g>", GraphParseError, "[E010]"),
    ("bad.jsonld", "{not json", GraphParseError, "[E010]"),
    ("bad.docx", "whatever", InputError, "[E006]"),
])
def test_read_errors_name_the_file(tmp_path, reader, name, text, error, code):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as err:
        reader(path)
    msg = str(err.value)
    assert msg.startswith(code) and str(path) in msg and "\n" not in msg
    assert isinstance(err.value, GraphParseError) == (code == "[E010]")


@pytest.mark.parametrize("reader", [read_dataset, read_quads, find_graph_file])
def test_read_missing_path(tmp_path, reader):
    with pytest.raises(InputError, match=r"^\[E001\] .*nope\.ttl"):
        reader(tmp_path / "nope.ttl")


def test_read_store_folder_and_build_folder(tmp_path):
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"), ox.NamedNode("urn:g")))
    store.flush()
    del store
    for folder in (tmp_path / "store", tmp_path):  # the store itself, or a build folder holding store/
        assert _ox_quads(read_quads(folder)) == {("<urn:a>", "<urn:b>", "<urn:c>", "<urn:g>")}
        assert _rdflib_quads(read_dataset(folder)) == {("<urn:a>", "<urn:b>", "<urn:c>", "<urn:g>")}
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphParseError, match=r"^\[E010\] .*empty: .*not an oxigraph store"):
        read_dataset(tmp_path / "empty")
    assert find_graph_file(tmp_path) == tmp_path  # no graph.* here: the folder itself
    for name in reversed(GRAPH_FILES):
        (tmp_path / name).write_text("", encoding="utf-8")
        assert find_graph_file(tmp_path).name == name  # the best one present


def test_read_union_keeps_a_plain_graph():
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))
    assert union(g) is g
    flat = union(_dataset())
    assert not flat.context_aware and len(flat) == len(DEFAULT_TRIPLES) + len(NAMED_TRIPLES)
    assert dict(flat.namespaces())["schema"] == URIRef(str(SCHEMA))


@pytest.mark.parametrize("context", [
    '"{url}c"',
    '["{url}c", {{"name": "http://schema.org/name"}}]',
    '{{"@import": "{url}c"}}',
    '"file://{secret}"',
])
def test_read_jsonld_context_is_never_fetched(tmp_path, tripwire, context, kg_cli):
    """A .jsonld whose @context names a URL or another file is refused with E010; nothing is fetched or read."""
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"name": "http://schema.org/name"}}', encoding="utf-8")
    path = tmp_path / "g.jsonld"
    path.write_text('{"@context": %s, "@id": "urn:a", "name": "x"}' % context.format(url=tripwire.url, secret=secret),
                    encoding="utf-8")
    with pytest.raises(GraphParseError, match=r"^\[E010\] .*g\.jsonld: .*@context"):
        read_dataset(path)
    code, _, err = kg_cli("view", path, "-o", tmp_path / "v.html")
    assert code == 2 and "[E010]" in err and "g.jsonld" in err
    code, _, err = kg_cli("validate", path)
    assert code == 2 and "[E010]" in err
    assert tripwire.hits == 0
