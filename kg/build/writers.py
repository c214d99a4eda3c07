"""Where a build's pages go: held for one dataset written at the end, or written page by page (streaming).

A writer takes each page with its resolved records (:meth:`add`), then the entities of the
whole build (:meth:`close`), and writes the output files. :class:`WholeWriter` holds the
pages and writes every format, the view and the store from one dataset, validated.
:class:`StreamWriter` keeps memory flat: pages are spooled to a temporary file as they come,
and once the entities are known they are written one page at a time. :class:`AutoWriter`
starts whole and turns to streaming past a number of pages, without reading any input twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Protocol

from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.build.options import BuildOptions
from kg.errors import Errors
from kg.export.html import write_html
from kg.extract import Extraction
from kg.io import atomic_write
from kg.model import Page
from kg.rdf import serialize
from kg.rdf.graph import build_dataset
from kg.rdf.validate import check
from kg.rdf.vocab import PREFIXES, RDF
from kg.resolve import Entities
from kg.store.store import build_store

log = logging.getLogger(__name__)

#: What a streaming build writes (JSON-LD, the view and SHACL validation need the whole graph at once).
STREAM_FORMATS = ("ttl", "trig", "nq")


class Writer(Protocol):
    """Takes each page with its resolved records, then the build's entities."""

    def add(self, page: Page, records: Extraction) -> None: ...

    def close(self, entities: Entities) -> Any: ...


@dataclass(frozen=True)
class Collected:
    """A build held in memory: its pages, every record that goes into the graph, and the entities."""

    pages: tuple[Page, ...]
    records: Extraction
    entities: Entities


class MemoryWriter:
    """Write nothing: hand back the pages, the records (derived ones included) and the entities."""

    streamed = False

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.records: list[Extraction] = []

    def add(self, page: Page, records: Extraction) -> None:
        self.pages.append(page)
        self.records.append(records)

    def close(self, entities: Entities) -> Collected:
        return Collected(tuple(self.pages), Extraction.concat(self.records) + entities.derived_for(), entities)


@dataclass(frozen=True)
class Written:
    """What a writer wrote: the number of triples (quads) of the graph, the files, and what it left out."""

    triples: int
    files: tuple[Path, ...]
    warnings: tuple[str, ...] = ()
    streamed: bool = False


class WholeWriter(MemoryWriter):
    """Hold every page; at the end build one dataset, validate it, write every format, the view and the store."""

    def __init__(self, opts: BuildOptions) -> None:
        super().__init__()
        self.opts = opts

    def close(self, entities: Entities) -> Written:
        opts, out = self.opts, Path(self.opts.output)
        built = super().close(entities)
        ds = build_dataset(built.pages, built.records, entities, base=opts.base)
        if opts.validate:
            check(ds)
        written = serialize.write(ds, out, opts.formats)
        if opts.html:
            write_html(ds, out / "graph.html", title="newskg: " + ", ".join(sorted(Path(p).name for p in opts.paths)[:3]))
            written.append(out / "graph.html")
        if opts.store:
            build_store(ds, out / "store")
        return Written(len(ds), tuple(written))


class StreamWriter:
    """Spool each page as it comes; at the end write Turtle, TriG and N-Quads one page at a time.

    Each page's article graphs are built and written alone; facts of the default graph that
    several pages repeat (a post, a parent body) are written once. The same input gives the
    same bytes: pages are written in input order and each page's part is sorted.
    """

    streamed = True

    def __init__(self, opts: BuildOptions) -> None:
        self.opts = opts
        self._spool = tempfile.TemporaryFile(prefix="kg-spool-")
        self.pages = 0

    def add(self, page: Page, records: Extraction) -> None:
        pickle.dump((page, records), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.pages += 1

    def _spooled(self) -> Iterator[tuple[Page, Extraction]]:
        self._spool.flush()
        self._spool.seek(0)
        for _ in range(self.pages):
            yield pickle.load(self._spool)

    def close(self, entities: Entities) -> Written:
        opts, out = self.opts, Path(self.opts.output)
        try:
            formats = [f for f in opts.formats if f in STREAM_FORMATS]
            if "nq" not in formats and opts.store:
                formats.append("nq")
            n = write_pages(self._spooled(), entities, out, base=opts.base, formats=formats)
        finally:
            self._spool.close()
        notes = []
        left = sorted(set(opts.formats) - set(STREAM_FORMATS))
        if left:
            notes.append(Errors.W008.format(pages=self.pages, formats=", ".join(left)))
        if opts.html:
            notes.append(Errors.W009)
        if opts.validate:
            notes.append(Errors.W010)
        if opts.store:
            build_store([out / "graph.nq"], out / "store")
        for note in notes:
            log.warning(note)
        return Written(n, tuple(out / f"graph.{f}" for f in formats), tuple(notes), streamed=True)


class AutoWriter:
    """Whole up to ``opts.stream_pages`` pages, streaming past that (or always, or never: ``opts.stream``)."""

    def __init__(self, opts: BuildOptions) -> None:
        self.opts = opts
        self.writer: WholeWriter | StreamWriter = StreamWriter(opts) if opts.stream else WholeWriter(opts)

    @property
    def streamed(self) -> bool:
        return self.writer.streamed

    def add(self, page: Page, records: Extraction) -> None:
        w = self.writer
        if isinstance(w, WholeWriter) and self.opts.stream is None and len(w.pages) >= self.opts.stream_pages:
            spill = StreamWriter(self.opts)
            for p, r in zip(w.pages, w.records):
                spill.add(p, r)
            self.writer = w = spill
        w.add(page, records)

    def close(self, entities: Entities) -> Written:
        return self.writer.close(entities)


# ------------------------------------------------------------------ page-by-page RDF

_DECLARED = {*PREFIXES, "rdf"}


def _body(triples) -> str:
    """Turtle statements of ``triples`` without the prefix lines (all of them declared once in the header)."""
    prefixes, body = serialize.turtle_body(triples)
    for line in prefixes:
        if line.split()[1][:-1] not in _DECLARED:
            raise AssertionError(f"undeclared prefix in a streamed graph: {line}")
    return body


def _nt_lines(g: Graph) -> list[str]:
    return [line for line in g.serialize(format="nt").split("\n") if line.strip()]


def _digest(t) -> bytes:
    """A 12-byte digest of a triple (the set of default-graph facts written stays small)."""
    return hashlib.blake2b("\x1f".join(x.n3() for x in t).encode("utf-8"), digest_size=12).digest()


def _unseen(graph: Graph, seen: set[bytes]) -> Graph:
    """The triples of ``graph`` not written before (their digests not in ``seen``, which is updated)."""
    fresh = Graph()
    for t in graph:
        key = _digest(t)
        if key not in seen:
            seen.add(key)
            fresh.add(t)
    return fresh


def write_pages(pages: Iterator[tuple[Page, Extraction]], entities: Entities, out_dir: str | Path, *,
                base: str | None = None, formats=STREAM_FORMATS) -> int:
    """Write Turtle, TriG and N-Quads page by page, then the entities; return the number of quads."""
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
            records = records + entities.derived_for(a.id for a in page.articles)
            extractors.update(r.extractor for r in (*records.mentions, *records.relations, *records.measures, *records.statements))
            ds = build_dataset([page], records, None, base=base)
            fresh = _unseen(ds.graph(DATASET_DEFAULT_GRAPH_ID), seen_default)
            named = sorted((g for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)), key=lambda g: str(g.identifier))
            named_quads += sum(len(g) for g in named)
            if "nq" in files:
                lines = _nt_lines(fresh)
                for g in named:
                    lines += [line[:-1] + f"<{g.identifier}> ." for line in _nt_lines(g)]
                files["nq"].write("".join(line + "\n" for line in sorted(lines)))
            if "trig" in files:
                parts = [_body(fresh)] if len(fresh) else []
                parts += [serialize.trig_block(g.identifier, _body(g)) for g in named]
                files["trig"].write("\n\n".join(parts) + "\n\n")
            if "ttl" in files:
                files["ttl"].write(_body([*fresh, *(t for g in named for t in g)]) + "\n\n")
        corpus = build_dataset([], Extraction(), entities, base=base, extractors=extractors)
        tail = _unseen(corpus.graph(DATASET_DEFAULT_GRAPH_ID), seen_default)
        if "nq" in files:
            files["nq"].write("".join(line + "\n" for line in sorted(_nt_lines(tail))))
        for f in ("ttl", "trig"):
            if f in files:
                files[f].write(_body(tail) + "\n")
    return named_quads + len(seen_default)
