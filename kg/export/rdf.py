"""RDF files of a build: Turtle, TriG, N-Quads and JSON-LD, sorted and written atomically."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset

from ..graph import union
from ..io import atomic_write
from ..ontology import PREFIXES

#: format name -> (file name, rdflib serializer)
FORMATS = {"ttl": ("graph.ttl", "turtle"), "trig": ("graph.trig", "trig"), "nq": ("graph.nq", "nquads"), "jsonld": ("graph.jsonld", "json-ld")}


def jsonld_context() -> dict:
    """The JSON-LD context of the output: the contract's prefixes."""
    return {p: str(ns) for p, ns in PREFIXES.items()}


def serialize(ds: Dataset, fmt: str) -> str:
    """Text of ``ds`` in ``fmt``; N-Quads lines are sorted, so the same input gives the same bytes.

    Examples
    --------
    >>> from kg.graph import new_dataset
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
        return ds.serialize(format="trig")
    if fmt == "jsonld":
        data = json.loads(ds.serialize(format="json-ld", context=jsonld_context(), auto_compact=True))
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    raise ValueError(fmt)


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
