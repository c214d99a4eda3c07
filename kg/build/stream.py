"""A streaming build's second pass: the graph written page by page, memory independent of the corpus size."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterable, Iterator

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.rdf.serialize import trig_block, turtle_body
from kg.rdf.graph import build_dataset
from kg.io import atomic_write
from kg.model import Page
from kg.rdf.vocab import PREFIXES, RDF
from kg.resolve import Resolution, Resolver, page_view

_DECLARED = {*PREFIXES, "rdf"}

#: What a streaming build writes (JSON-LD, the view and SHACL validation need the whole graph at once).
STREAM_FORMATS = ("ttl", "trig", "nq")


def _body(triples) -> str:
    """Turtle statements of ``triples`` without the prefix lines (all of them declared once in the header)."""
    prefixes, body = turtle_body(triples)
    for l in prefixes:
        if l.split()[1][:-1] not in _DECLARED:
            raise AssertionError(f"undeclared prefix in a streamed graph: {l}")
    return body


def _nt_lines(g: Graph) -> list[str]:
    return [l for l in g.serialize(format="nt").split("\n") if l.strip()]


def page_resolution(resolver: Resolver, records: Iterable) -> Resolution:
    """The records of one page as they go into the graph, with what :meth:`Resolver.finish` derived for it."""
    view = page_view(records)
    docs = {m.doc for m in view.mentions} | {r.doc for r in view.relations} | {m.doc for m in view.measures}
    return resolver.attach_derived(view, docs)


def write(pages: Iterator[tuple[Page, list]], resolver: Resolver, out_dir: str | Path, *, base: str | None = None,
          formats: Iterable[str] = STREAM_FORMATS) -> int:
    """Write Turtle, TriG and N-Quads page by page, then the entities; return the number of quads.

    Each page's article graphs are built and written alone; facts of the default graph
    that several pages repeat (a post, a parent body) are written once. The same input
    gives the same bytes: pages come in input order and each page's part is sorted.
    """
    out_dir = Path(out_dir)
    formats = [f for f in formats if f in STREAM_FORMATS]
    seen_default: set[bytes] = set()
    named_quads = 0
    extractors: set[str] = set()
    header = "\n".join(sorted(f"@prefix {p}: <{ns}> ." for p, ns in {**PREFIXES, "rdf": RDF}.items())) + "\n\n"
    with contextlib.ExitStack() as stack:
        files = {f: stack.enter_context(atomic_write(out_dir / f"graph.{f}")) for f in formats}
        for f in ("ttl", "trig"):
            if f in files:
                files[f].write(header)
        for page, records in pages:
            view = page_resolution(resolver, records)
            extractors.update(r.extractor for r in (*view.mentions, *view.relations, *view.measures, *view.statements))
            ds = build_dataset([page], view, base=base, entities=False)
            default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
            fresh = Graph()
            for t in default:
                key = hash_triple(t)
                if key not in seen_default:
                    seen_default.add(key)
                    fresh.add(t)
            named = sorted((g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)), key=lambda g: str(g.identifier))
            if "nq" in files:
                lines = _nt_lines(fresh)
                for g in named:
                    lines += [l[:-1] + f"<{g.identifier}> ." for l in _nt_lines(g)]
                named_quads += sum(len(g) for g in named)
                files["nq"].write("".join(l + "\n" for l in sorted(lines)))
            else:
                named_quads += sum(len(g) for g in named)
            if "trig" in files:
                parts = [_body(fresh)] if len(fresh) else []
                for g in named:
                    parts.append(trig_block(g.identifier, _body(g)))
                files["trig"].write("\n\n".join(parts) + "\n\n")
            if "ttl" in files:
                files["ttl"].write(_body([*fresh, *(t for g in named for t in g)]) + "\n\n")
        corpus = build_dataset([], resolver.res, base=base, extractors=extractors)
        tail = Graph()
        for t in corpus.graph(DATASET_DEFAULT_GRAPH_ID):
            key = hash_triple(t)
            if key not in seen_default:
                seen_default.add(key)
                tail.add(t)
        if "nq" in files:
            files["nq"].write("".join(l + "\n" for l in sorted(_nt_lines(tail))))
        for f in ("ttl", "trig"):
            if f in files:
                files[f].write(_body(tail) + "\n")
    return named_quads + len(seen_default)


def hash_triple(t) -> bytes:
    """A 12-byte digest of a triple (the set of default-graph facts written stays small)."""
    import hashlib

    return hashlib.blake2b("\x1f".join(x.n3() for x in t).encode("utf-8"), digest_size=12).digest()
