"""Where a build's pages go: rendered into the graph files as they come, or held in memory.

:class:`GraphWriter` is the writer of ``kg build``: each page is rendered into its part of
the graph files (:func:`kg.pipeline.work.render_documents`, in the worker that extracted it, or here)
and spooled to a temporary file; once the entities are known the parts are written in input
order, then the corpus part (entities, extractors), by pyoxigraph's serializers. Each chunk
of pages is validated where it is rendered (:func:`kg.rdf.validate.validate_quads`, with what
the corpus part says of the entities it names), the corpus part at the end; the store is
bulk-loaded from the N-Quads file, a block at a time, so memory stays flat at every size;
only the view (graph.html) needs the whole graph in memory, and is drawn up to
``opts.stream_pages`` pages. :class:`MemoryWriter` hands back pages and records instead.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from kg.pipeline.options import BuildOptions
from kg.errors import Errors
from kg.extract import Extraction
from kg.model import Page
from kg.pipeline.work import render_page
from kg.rdf.graph import build_quads, entity_stubs
from kg.rdf.iris import IRIs
from kg.rdf.serialize import FORMATS, GraphFiles, Part, convert, render
from kg.rdf.validate import Report, validate_quads
from kg.resolve import Entities

log = logging.getLogger(__name__)

#: ``progress(phase, done, total)``: how far a phase of the build is (total None when not known).
Progress = Callable[[str, int, "int | None"], None]


class Writer(Protocol):
    """Takes each page with its resolved records (and its rendered part, if made), then the build's entities."""

    def add(self, page: Page, records: Extraction, part: Part | None = None, violations: tuple = (),
            spooled: bytes | None = None) -> None: ...

    def close(self, entities: Entities) -> Any: ...


@dataclass(frozen=True)
class Collected:
    """A build held in memory: its pages, every record that goes into the graph, and the entities."""

    pages: tuple[Page, ...]
    records: Extraction
    entities: Entities


class MemoryWriter:
    """Write nothing: hand back the pages, the records (derived ones included) and the entities."""

    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.records: list[Extraction] = []

    def add(self, page: Page, records: Extraction, part: Part | None = None, violations: tuple = (),
            spooled: bytes | None = None) -> None:
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


class GraphWriter:
    """Render each page as it comes and spool it; at the end write every file, the store, the check and the view.

    The same input gives the same bytes, in whatever order the pages come: parts are written
    in the order of the page ids, each sorted, and a triple several pages give is written
    once, where it first comes.
    """

    def __init__(self, opts: BuildOptions, out: Path, progress: Progress | None = None) -> None:
        self.opts, self.out = opts, Path(out)
        self.progress = progress or (lambda phase, done, total: None)
        self._spool = tempfile.TemporaryFile(prefix="kg-spool-")  # unnamed (unlinked at once): only this build reads back what it pickled
        self.pages = 0
        self.extractors: set[str] = set()
        # (page id, input position, article ids, offset of the part, offset of the page and its records)
        self._index: list[tuple[str, int, tuple[str, ...], int, int]] = []
        self.violations: set = set()  # found so far, in the workers or here
        self.store = None  # a StoreBuilder, filled with each page's quads as it comes
        self._pending: list = []  # quads of pages rendered again here, not yet checked
        self._scoped = IRIs.under(opts.base).scoped()
        if opts.validate:
            validate_quads([])  # the shapes compiled now, while the workers load their model, not at the end

    def _to_store(self, part: Part) -> None:
        if self.opts.store:
            if self.store is None:
                from kg.store.store import StoreBuilder

                # the parts are pyoxigraph's own N-Quads: their terms were checked when they were made
                self.store = StoreBuilder(self.out / "store", lenient=True)
            self.store.add(part.nq + b"".join(part.default))

    def abort(self) -> None:
        """Stop and remove what a failed build had begun (the spool, the store being loaded)."""
        self._spool.close()
        if self.store is not None:
            self.store.close()
            self.store = None

    @property
    def streamed(self) -> bool:
        """Whether the build is too large to hold in memory for the view."""
        return bool(self.opts.stream) or (self.opts.stream is None and self.pages > self.opts.stream_pages)

    def add(self, page: Page, records: Extraction, part: Part | None = None, violations: tuple = (),
            spooled: bytes | None = None) -> None:
        """Take a page: its part (rendered here when None), its violations, and ``(page, records)``
        as pickled by the worker that rendered it (pickled here when None)."""
        if part is None:
            part, violations = render_page(page, records, self.opts.base, self.opts.validate)
        self.violations.update(violations)
        self._used(records)
        self._to_store(part)  # the store loads on a thread of its own while the next pages are extracted
        at_page = self._spool.tell()
        if spooled is None:
            pickle.dump((page, records), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        else:
            self._spool.write(spooled)
        self._index.append((page.id, self.pages, tuple(a.id for a in page.articles), self._spool.tell(), at_page))
        pickle.dump(part, self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self.pages += 1

    def _used(self, records: Extraction) -> None:
        self.extractors.update(r.extractor for r in (*records.mentions, *records.relations, *records.measures, *records.statements))

    def _spooled(self, entities: Entities) -> Iterator[Part]:
        """The spooled parts in the order of the page ids, so the files do not depend on the order of the
        inputs; a page resolution gave derived records is read back and rendered again with them."""
        self._spool.flush()
        for _, _, articles, at_part, at_page in sorted(self._index):
            derived = entities.derived_for(articles)
            if not derived:
                self._spool.seek(at_part)
                yield pickle.load(self._spool)
                continue
            self._spool.seek(at_part)
            old = pickle.load(self._spool)
            self._spool.seek(at_page)
            page, records = pickle.load(self._spool)
            self._used(derived)
            yield self._rerender(page, records, derived, old)
        self._check_pending()

    def _rerender(self, page: Page, records: Extraction, derived: Extraction, old: Part) -> Part:
        """A page's part with the records resolution derived for it: its quads read back from the
        part it had (not made again), the derived ones added; checked in batches with the others."""
        import pyoxigraph as ox

        from kg.rdf.read import parse_data

        quads = parse_data(old.nq, ox.RdfFormat.N_QUADS) if old.nq else []
        if old.default:  # default-graph triples, parsed into the default graph
            quads += parse_data(b"".join(old.default), ox.RdfFormat.N_TRIPLES)
        quads += build_quads([page], derived, None, base=self.opts.base)
        part = render(quads, self._scoped)
        if self.opts.validate:
            self._pending += quads
            self._pending += entity_stubs(records + derived, base=self.opts.base)
            if len(self._pending) >= 50_000:
                self._check_pending()
        self._to_store(part)
        return part

    def _check_pending(self) -> None:
        if self._pending:
            self.violations.update(validate_quads(self._pending))
            self._pending = []

    def _files(self) -> list[str]:
        """The graph files to write: those asked for, and those the others are made from."""
        want = set(self.opts.formats)
        if want & {"nt", "rdfxml"}:
            want.add("ttl")
        if self.opts.html and not self.streamed:
            want.add("nq")
        return [f for f in FORMATS if f in want]

    def _write(self, files: GraphFiles, entities: Entities) -> None:
        """The parts in page-id order (a page given derived records rendered again), then the corpus part."""
        opts = self.opts
        for i, part in enumerate(self._spooled(entities), 1):
            files.add(part)
            self.progress("write", i, self.pages)
        corpus = build_quads([], Extraction(), entities, base=opts.base, extractors=self.extractors)
        part = render(corpus, ())
        files.add(part)
        self._to_store(part)
        if opts.validate:
            self.violations.update(validate_quads(corpus))
            self._check(files.quads)

    def _check(self, quads: int) -> None:
        """Raise [E030] with every violation the chunks, the pages rendered here and the corpus part gave."""
        self.progress("validate", quads, quads)
        Report.of(self.violations, quads).raise_for_violations()

    def _view(self) -> None:
        from kg.export.html import write_html
        from kg.rdf.read import read_quads
        from kg.rdf.terms import to_graph

        self.progress("view", 0, 1)
        ds = to_graph(read_quads(self.out / "graph.ttl" if "ttl" in self._files() else self.out / "graph.nq"))
        write_html(ds, self.out / "graph.html", title="newskg: " + ", ".join(sorted(Path(p).name for p in self.opts.paths)[:3]))
        self.progress("view", 1, 1)

    def close(self, entities: Entities) -> Written:
        opts, out = self.opts, self.out
        formats = self._files()
        notes: list[str] = []
        with contextlib.ExitStack() as stack:
            stack.callback(self.abort)
            try:
                with GraphFiles(out, formats) as files:
                    self._write(files, entities)
            finally:
                self._spool.close()
            store = self.store
            quads = files.quads
            # the store's last blocks, the converted files and the view run side by side
            # (pyoxigraph lets go of the GIL): the tail costs the longest of them
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-write") as pool:
                tasks = []
                if store is not None:
                    self.progress("store", 0, quads)
                    tasks.append(("store", pool.submit(store.commit)))
                for fmt in ("nt", "rdfxml"):
                    if fmt in formats:
                        source = out / FORMATS["ttl"][0]
                        tasks.append((f"write {fmt}", pool.submit(convert, source, out / FORMATS[fmt][0], fmt)))
                if opts.html:
                    if self.streamed:
                        notes.append(Errors.W009)
                    else:
                        self._view()
                for phase, task in tasks:
                    task.result()
                    self.progress(phase, quads if phase == "store" else 1, quads if phase == "store" else 1)
        for fmt in set(formats) - set(opts.formats):
            (out / FORMATS[fmt][0]).unlink()
        for note in notes:
            log.warning(note)
        files_written = [out / FORMATS[f][0] for f in FORMATS if f in opts.formats]
        if opts.html and not self.streamed:
            files_written.append(out / "graph.html")
        return Written(quads, tuple(files_written), tuple(notes), streamed=self.streamed)
