"""``kg build`` as one loop that runs one way: read -> segment -> extract -> resolve -> write.

Reading is :func:`kg.sources.iter_documents`; segmenting and extracting are the per-page work
(:func:`kg.pipeline.work.process_document`), mapped over the documents by an engine
(:func:`kg.pipeline.engines.map_pages`, in input order, through the page cache); resolving is a
:class:`kg.resolve.Resolver` fed page by page; writing is a writer (:mod:`kg.pipeline.writers`)
that holds the pages or streams them. Each step hands frozen results to the next.
"""

from __future__ import annotations

import json
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from kg import __version__
from kg.pipeline.cache import Cache, CacheStats
from kg.pipeline.engines import map_pages
from kg.pipeline.options import BuildOptions
from kg.pipeline.output import Generation, no_space
from kg.pipeline.writers import Collected, GraphWriter, MemoryWriter, Progress, Writer, Written
from kg.errors import Errors, InputError, OutputError
from kg.io import write_text
from kg.model import Document, Page, Skip
from kg.rdf.void import describe
from kg.extract import Extraction
from kg.resolve import Entities, Resolver
from kg.sources import iter_documents

log = logging.getLogger(__name__)


@dataclass
class Tally:
    """What went through the loop: counts, skips (with their input position), warnings, and what was written."""

    pages: int = 0
    articles: int = 0
    measures: int = 0
    relations: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, Skip]] = field(default_factory=list)
    skipped_count: int = 0
    warnings: list[str] = field(default_factory=list)
    written: Any = None

    def skip(self, pos: int, item: Skip, kept: list[tuple[int, Skip]]) -> None:
        """Count a skip; keep the first :data:`REPORT_SKIPS` of each stream (inputs, pages) for the report."""
        self.skipped_count += 1
        if len(kept) < REPORT_SKIPS:
            kept.append((pos, item))


#: Skipped inputs listed in report.json (all are counted): 200,000 bad records do not make a 33 MB report.
REPORT_SKIPS = 100


@dataclass(frozen=True)
class BuildResult:
    """What a build made: the report written as ``report.json``, and how the run went.

    ``report`` depends only on the inputs and options that change the graph: the same
    input gives the same report, whatever the engine, the jobs and the cache. ``seconds``
    and ``cache`` describe this run.
    """

    report: dict
    output: Path
    seconds: float
    cache: CacheStats | None = None

    @property
    def summary(self) -> str:
        """The line ``kg build`` prints."""
        r = self.report
        line = (
            f"kg build: {r['pages']} page(s), {r['articles']} article(s), entities: "
            + ", ".join(f"{v} {k}" for k, v in r["entities"].items())
            + f"; {r['triples']} triples; {r.get('skipped_count', len(r['skipped']))} skipped; {self.seconds:.1f} s -> {self.output}/"
        )
        if self.cache is not None:
            line += f" ({self.cache.hits} page(s) from cache, {self.cache.misses} extracted)"
        return line


def run(items: Iterable[Document | Skip], writer: Writer, *, only: Sequence[str] | None = None, jobs: int | None = 1,
        engine: str = "local", scheduler: str | None = None, cache: Cache | None = None,
        progress: Progress | None = None, render: bool = False, base: str | None = None,
        validate: bool = False) -> Tally:
    """The loop: each document segmented and extracted (by ``engine``), resolved, and handed to ``writer``.

    Returns what went through, with what ``writer.close`` returned once every page was in.

    Examples
    --------
    >>> from kg.pipeline.writers import MemoryWriter
    >>> t = run([Document("p", "page", "标题\\n\\n张三\\n\\n正文写到了北京。")], MemoryWriter())
    >>> t.articles, t.written.entities.counts()["Person"], [m.text for m in t.written.records.mentions]
    (1, 1, ['张三', '北京'])
    """
    tally = Tally()
    resolver = Resolver()
    read: deque[tuple[int, Document]] = deque()  # documents handed to the engine, not yet back
    unread: list[tuple[int, Skip]] = []  # the first inputs skipped when read, and pages with no article:
    empty: list[tuple[int, Skip]] = []  # each in input order, so the first of both are the first of all

    def documents():
        for pos, item in enumerate(items):
            if isinstance(item, Skip):
                tally.skip(pos, item, unread)
                log.warning(item.reason)
                continue
            read.append((pos, item))
            yield item

    for page, extraction, *rendered in map_pages(documents(), jobs=jobs, engine=engine, scheduler=scheduler, cache=cache,
                                                 only=only, render=render, base=base, validate=validate):
        # rendered where extracted: the page's part, its violations, what resolution keeps of it, and that spooled
        part, violations, kept, spooled = rendered or (None, (), None, None)
        pos, doc = read.popleft()
        tally.warnings.extend(doc.warnings)
        if not page.articles:
            tally.skip(pos, Skip(doc.path or doc.id, Errors.E008.format(path=doc.path or doc.id), doc.line), empty)
            continue
        records = resolver.add(extraction, kept=kept)
        if render:
            writer.add(page, records, part, violations, spooled)
        else:
            writer.add(page, records)
        tally.pages += 1
        tally.articles += len(page.articles)
        tally.measures += len(records.measures)
        tally.relations += len(records.relations)
        if progress is not None:
            progress("extract", tally.pages, None)
    tally.skipped = sorted(unread + empty, key=lambda x: x[0])[:REPORT_SKIPS]
    if tally.pages:
        entities = resolver.finish()
        tally.entities = entities.counts()
        tally.relations += len(entities.derived_for().relations)
        tally.written = writer.close(entities)
    return tally


def collect(items: Iterable[Document | Skip], **kw) -> Collected:
    """The loop with nothing written: pages, records and entities in memory (``kw`` as :func:`run`).

    Examples
    --------
    >>> c = collect([Document("p", "page", "标题\\n\\n张三\\n\\n正文。")])
    >>> len(c.pages), sorted(e.name for e in c.entities)
    (1, ['张三'])
    """
    return run(items, MemoryWriter(), **kw).written or Collected((), Extraction(), Entities())


def build(opts: BuildOptions, *, progress: Progress | None = None) -> BuildResult:
    """Run a build and write its outputs; return what it made (the report is also written to report.json).

    The output folder changes as a whole (:class:`kg.pipeline.output.Generation`): everything is
    written to a folder beside it, which takes its place at the end. Nothing changes when the
    inputs give no article, the graph fails validation, the disk fills up or the build is
    interrupted. ``progress(phase, done, total)`` is told how far each phase is. With
    ``opts.cache`` set, pages whose input and extractor version are unchanged are read from
    the cache, not extracted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.txt").write_text("标题\\n\\n张三\\n\\n正文。", encoding="utf-8")
    >>> r = build(BuildOptions((str(d / "p.txt"),), d / "out", html=False, store=False, validate=False))
    >>> r.report["articles"], (d / "out" / "graph.ttl").exists()
    (1, True)
    """
    t0 = time.perf_counter()
    opts.check()
    cache = Cache(opts.cache) if opts.cache is not None else None
    with Generation(opts.output, writes=opts.writes) as gen:
        try:
            report = _build(opts, gen.stage, cache, progress)
            gen.commit()
        except OSError as exc:
            if no_space(exc):
                raise OutputError(Errors.E052.format(path=opts.output)) from exc
            raise
    return BuildResult(report, Path(opts.output), time.perf_counter() - t0, cache.stats if cache is not None else None)


def _build(opts: BuildOptions, out: Path, cache: Cache | None, progress: Progress | None) -> dict:
    """The build into the folder ``out``; returns the report."""
    items = iter_documents(opts.paths, input_format=opts.input_format, strict=opts.strict, meta=opts.meta,
                           exclude=(opts.output,))
    writer = GraphWriter(opts, out, progress)
    try:
        tally = run(items, writer, only=opts.extractors, jobs=opts.jobs, engine=opts.engine,
                    scheduler=opts.scheduler, cache=cache, progress=progress, render=True, base=opts.base,
                    validate=opts.validate)
    except BaseException:
        writer.abort()
        raise
    if not tally.pages:
        why = "; ".join(s.reason for _, s in tally.skipped[:3]) or "no input file"
        raise InputError(Errors.E009.format(paths=", ".join(opts.paths), why=why))
    written = tally.written
    report = _report(opts, tally, written)
    write_text(out / "void.ttl", describe(
        inputs=opts.paths, files=[p for p in written.files if p.suffix in (".nq", ".ttl", ".trig", ".jsonld", ".nt", ".rdf")],
        out=out, triples=written.triples, entities=report["entities"], articles=tally.articles, base=opts.base,
    ).serialize(format="turtle"))
    write_text(out / "report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return report


def _report(opts: BuildOptions, tally: Tally, written: Written) -> dict:
    """The content of report.json: what was built from what, nothing of how long it took or where it ran."""
    skipped = [s for _, s in tally.skipped]
    return {
        "tool": f"newskg {__version__}",
        "inputs": sorted(opts.paths),
        "pages": tally.pages,
        "streamed": written.streamed,
        "articles": tally.articles,
        "entities": tally.entities,
        "measures": tally.measures,
        "relations": tally.relations,
        "triples": written.triples,
        "skipped_count": tally.skipped_count,
        "skipped": [{"path": s.path, "reason": s.reason, "line": s.line} for s in skipped],  # the first REPORT_SKIPS
        "warnings": [*tally.warnings, *written.warnings],
        "files": sorted([p.name for p in written.files] + ["void.ttl"]),
    }
