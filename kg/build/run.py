"""``kg build`` as a library function: inputs -> graph files, view, store and report."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from kg import __version__
from kg.build.cache import Cache
from kg.build.engines import default_jobs
from kg.errors import Errors, InputError
from kg.rdf import serialize as rdf
from kg.rdf.graph import build_dataset
from kg.io import write_text
from kg.model import Meta
from kg.build.loop import iter_docs, run

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildOptions:
    """Everything ``kg build`` is told."""

    paths: tuple[str, ...]
    output: Path = Path("output")
    input_format: str | None = None
    formats: tuple[str, ...] = ("ttl", "trig", "nq", "jsonld")
    base: str | None = None
    publisher: str = ""
    date: str = ""
    page: str = ""
    extractors: tuple[str, ...] | None = None
    html: bool = True
    store: bool = True
    validate: bool = True
    strict: bool = False
    jobs: int | None = 1  # worker processes for the per-page work; None: every core; 1: in this process
    engine: str = "local"  # "local" or "dask"
    scheduler: str | None = None  # Dask scheduler address; None: a LocalCluster
    cache: Path | None = None  # page cache folder; None: no cache
    stream: bool | None = None  # write page by page; None: when there are more than STREAM_PAGES pages


#: Above this many pages a build streams: memory stays flat, but JSON-LD, the view and
#: SHACL validation (which need the whole graph at once) are left to kg view / kg validate.
STREAM_PAGES = 200


def build(opts: BuildOptions, *, progress=None) -> dict:
    """Run a build and write its outputs; return the report (also written to report.json).

    Nothing is written when the inputs give no article or the graph fails validation.
    ``progress`` is called with each page done. With ``opts.cache`` set, pages whose
    input and extractor version are unchanged are read from the cache, not extracted.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "p.txt").write_text("标题\\n\\n张三\\n\\n正文。", encoding="utf-8")
    >>> r = build(BuildOptions((str(d / "p.txt"),), d / "out", html=False, store=False, validate=False))
    >>> r["articles"], (d / "out" / "graph.ttl").exists()
    (1, True)
    """
    t0 = time.perf_counter()
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for f in opts.formats:
        if f not in rdf.FORMATS:
            raise InputError(f"[E006] --format: unknown RDF format {f!r}; choose from {', '.join(rdf.FORMATS)}")
    for p in opts.paths:
        if not Path(p).exists():
            raise InputError(Errors.E001.format(path=p))
    meta = Meta(date=opts.date, publisher=opts.publisher, page=opts.page)
    keep = None if opts.stream is False else 0 if opts.stream else STREAM_PAGES
    with contextlib.ExitStack() as stack:
        folder = opts.cache
        if folder is None and keep is not None:
            # a streaming build reads its pages back from a cache: a private one when none is asked for
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-cache-")))
        cache = Cache(folder) if folder is not None else None

        def docs():
            return iter_docs(opts.paths, input_format=opts.input_format, strict=opts.strict, meta=meta)

        result = run(
            docs(), only=opts.extractors, progress=progress, jobs=opts.jobs, engine=opts.engine,
            scheduler=opts.scheduler, cache=cache, keep=keep,
        )
        if not result.n_pages:
            why = "; ".join(s.reason for s in result.skipped[:3]) or "no input file"
            raise InputError(f"[E008] no article could be read from {', '.join(opts.paths)}: {why}")
        out = Path(opts.output)
        if result.streamed:
            n_triples, written, notes = _write_streaming(opts, result, cache, docs)
            result.warnings.extend(notes)
        else:
            n_triples, written = _write_whole(opts, result)
        if cache is not None and opts.cache is None:
            cache = None  # the private cache is gone with its folder
    counts = result.entity_counts()
    seconds = time.perf_counter() - t0
    summary = (
        f"kg build: {result.n_pages} page(s), {result.articles} article(s), entities: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; {n_triples} triples; {len(result.skipped)} skipped; {seconds:.1f} s -> {out}/"
    )
    if cache is not None:
        summary += f" ({cache.stats.hits} page(s) from cache, {cache.stats.misses} extracted)"
    report = {
        "tool": f"newskg {__version__}",
        "inputs": list(opts.paths),
        "pages": result.n_pages,
        "streamed": result.streamed,
        "articles": result.articles,
        "entities": counts,
        "measures": result.n_measures,
        "relations": result.n_relations,
        "triples": n_triples,
        "skipped": [asdict(s) for s in result.skipped],
        "engine": {"name": opts.engine, "jobs": opts.jobs or default_jobs(), "pipeline_seconds": round(result.seconds, 3)},
        "cache": asdict(cache.stats) | {"folder": str(cache.folder), "version": cache.version} if cache is not None else None,
        "warnings": result.warnings,
        "files": sorted(str(p.name) for p in written),
        "seconds": round(seconds, 3),
        "summary": summary,
    }
    from kg.rdf.void import describe

    void = describe(inputs=opts.paths, files=[str(p) for p in written if p.suffix in (".nq", ".ttl", ".trig", ".jsonld")],
                    triples=n_triples, entities=counts, articles=result.articles, started=started,
                    ended=dt.datetime.now(dt.timezone.utc).replace(microsecond=0), base=opts.base)
    write_text(out / "void.ttl", void.serialize(format="turtle"))
    report["files"] = sorted([*report["files"], "void.ttl"])
    write_text(out / "report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return report


def _write_whole(opts: BuildOptions, result) -> tuple[int, list[Path]]:
    """Build the whole dataset in memory, validate it, write every format, the view and the store."""
    ds = build_dataset(result.pages, result.resolution, base=opts.base)
    if opts.validate:
        from kg.rdf.validate import check

        check(ds)
    out = Path(opts.output)
    written = rdf.write(ds, out, opts.formats)
    if opts.html:
        from kg.export.html import write_html

        write_html(ds, out / "graph.html", title="newskg: " + ", ".join(Path(p).name for p in opts.paths[:3]))
        written.append(out / "graph.html")
    if opts.store:
        from kg.store.query import build_store

        build_store(ds, out / "store")
    return len(ds), written


def _write_streaming(opts: BuildOptions, result, cache, docs) -> tuple[int, list[Path], list[str]]:
    """Second pass of a streaming build: pages read back from the cache and written one at a time."""
    from kg.build.engines import map_pages
    from kg.model import Document
    from kg.build import stream

    out = Path(opts.output)
    pages = (
        (page, records)
        for page, records in map_pages((d for d in docs() if isinstance(d, Document)), jobs=1, cache=cache, only=opts.extractors)
        if page.articles
    )
    formats = [f for f in opts.formats if f in stream.STREAM_FORMATS]
    if "nq" not in formats and opts.store:
        formats.append("nq")
    n = stream.write(pages, result.resolver, out, base=opts.base, formats=formats)
    written = [out / f"graph.{f}" for f in formats]
    notes = []
    left = sorted(set(opts.formats) - set(stream.STREAM_FORMATS))
    if left:
        notes.append(f"[W008] streaming build of {result.n_pages} pages: {', '.join(left)} not written (they need the whole graph in memory)")
    if opts.html:
        notes.append("[W008] streaming build: no graph.html; make a view of a subset with kg view")
    if opts.validate:
        notes.append("[W008] streaming build: not validated; run kg validate on the output")
    if opts.store:
        from kg.store.query import build_store

        build_store([out / "graph.nq"], out / "store")
    for note in notes:
        log.warning(note)
    return n, written, notes
