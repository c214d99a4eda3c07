"""RDF files of a build: Turtle, TriG, N-Quads and JSON-LD, sorted and written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf.read import union
from kg.io import atomic_write
from kg.rdf.vocab import PREFIXES

#: format name -> (file name, rdflib serializer)
FORMATS = {"ttl": ("graph.ttl", "turtle"), "trig": ("graph.trig", "trig"), "nq": ("graph.nq", "nquads"), "jsonld": ("graph.jsonld", "json-ld")}


def jsonld_context() -> dict:
    """The JSON-LD context of the output: the contract's prefixes."""
    return {p: str(ns) for p, ns in PREFIXES.items()}


def serialize(ds: Dataset, fmt: str) -> str:
    """Text of ``ds`` in ``fmt``; N-Quads lines are sorted, so the same input gives the same bytes.

    Examples
    --------
    >>> from kg.rdf.graph import new_dataset
    >>> serialize(new_dataset(), "nq")
    ''
    """
    if fmt == "ttl":
        return union(ds).serialize(format="turtle")
    if fmt == "nq":
        text = ds.serialize(format="nquads")
        lines = sorted(set(l for l in text.split("\n") if l.strip()))  # not splitlines: \x0c is text
        return "\n".join(lines) + ("\n" if lines else "")
    if fmt == "trig":
        return _trig(ds)
    if fmt == "jsonld":
        data = json.loads(ds.serialize(format="json-ld", context=jsonld_context(), auto_compact=True))
        return json.dumps(_sorted_json(data), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    raise ValueError(fmt)


def turtle_body(triples) -> tuple[list[str], str]:
    """(prefix lines, statements) of ``triples`` in Turtle with the contract's prefixes;
    rdflib writes subjects in sorted order, so the same triples give the same text."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True)
    for t in triples:
        g.add(t)
    prefixes, body = [], []
    for line in g.serialize(format="turtle").split("\n"):
        (prefixes if line.startswith("@prefix") else body).append(line)
    return prefixes, "\n".join(body).strip()


def trig_block(identifier, body: str) -> str:
    """A named graph in TriG. Not indented: a long literal's lines are part of its value."""
    return f"<{identifier}> {{\n{body}\n}}"


def _trig(ds: Dataset) -> str:
    """TriG with the default graph first, then each named graph in IRI order: the same bytes every run."""
    prefixes: set[str] = set()
    blocks = []
    graphs = sorted((g for g in ds.graphs() if len(g)), key=lambda g: (g.identifier != DATASET_DEFAULT_GRAPH_ID, str(g.identifier)))
    for g in graphs:
        pre, body = turtle_body(g)
        prefixes.update(pre)
        blocks.append(body if g.identifier == DATASET_DEFAULT_GRAPH_ID else trig_block(g.identifier, body))
    return "\n".join(sorted(prefixes)) + "\n\n" + "\n\n".join(blocks) + "\n"


def _sorted_json(x):
    """JSON-LD with every array of nodes or values in a fixed order (they are sets, but for ``@list``)."""
    if isinstance(x, dict):
        return {k: (v if k == "@list" else _sorted_json(v)) for k, v in x.items()}
    if isinstance(x, list):
        items = [_sorted_json(v) for v in x]
        return sorted(items, key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
    return x


def write(ds: Dataset, out_dir: str | Path, formats: tuple[str, ...] = ("ttl", "trig", "nq", "jsonld")) -> list[Path]:
    """Write each format to ``out_dir`` atomically; return the paths written."""
    out = []
    for fmt in formats:
        name, _ = FORMATS[fmt]
        path = Path(out_dir) / name
        with atomic_write(path) as f:
            f.write(serialize(ds, fmt))
        out.append(path)
    return out
