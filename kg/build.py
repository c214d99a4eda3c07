"""``kg build`` as a library function: inputs -> graph files, view, store and report."""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import __version__
from .cache import Cache
from .engine import default_jobs
from .errors import Errors, InputError
from .export import rdf
from .graph import build_dataset
from .io import write_text
from .model import Meta
from .pipeline import iter_docs, run

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
    for f in opts.formats:
        if f not in rdf.FORMATS:
            raise InputError(f"[E006] --format: unknown RDF format {f!r}; choose from {', '.join(rdf.FORMATS)}")
    for p in opts.paths:
        if not Path(p).exists():
            raise InputError(Errors.E001.format(path=p))
    meta = Meta(date=opts.date, publisher=opts.publisher, page=opts.page)
    cache = Cache(opts.cache) if opts.cache is not None else None
    result = run(
        iter_docs(opts.paths, input_format=opts.input_format, strict=opts.strict, meta=meta),
        only=opts.extractors, progress=progress, jobs=opts.jobs, engine=opts.engine, scheduler=opts.scheduler, cache=cache,
    )
    if not result.pages:
        why = "; ".join(s.reason for s in result.skipped[:3]) or "no input file"
        raise InputError(f"[E008] no article could be read from {', '.join(opts.paths)}: {why}")
    ds = build_dataset(result.pages, result.resolution, base=opts.base)
    if opts.validate:
        from .validate import check

        check(ds)
    out = Path(opts.output)
    written = rdf.write(ds, out, opts.formats)
    if opts.html:
        from .export.html import write_html

        write_html(ds, out / "graph.html", title="newskg: " + ", ".join(Path(p).name for p in opts.paths[:3]))
        written.append(out / "graph.html")
    if opts.store:
        from .query import build_store

        build_store(ds, out / "store")
    n_triples = len(ds)
    counts = result.entity_counts()
    seconds = time.perf_counter() - t0
    summary = (
        f"kg build: {len(result.pages)} page(s), {result.articles} article(s), entities: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; {n_triples} triples; {len(result.skipped)} skipped; {seconds:.1f} s -> {out}/"
    )
    if cache is not None:
        summary += f" ({cache.stats.hits} page(s) from cache, {cache.stats.misses} extracted)"
    report = {
        "tool": f"newskg {__version__}",
        "inputs": list(opts.paths),
        "pages": len(result.pages),
        "articles": result.articles,
        "entities": counts,
        "measures": len(result.resolution.measures),
        "relations": len(result.resolution.relations),
        "triples": n_triples,
        "skipped": [asdict(s) for s in result.skipped],
        "engine": {"name": opts.engine, "jobs": opts.jobs or default_jobs(), "pipeline_seconds": round(result.seconds, 3)},
        "cache": asdict(cache.stats) | {"folder": str(cache.folder), "version": cache.version} if cache is not None else None,
        "warnings": result.warnings,
        "files": sorted(str(p.name) for p in written),
        "seconds": round(seconds, 3),
        "summary": summary,
    }
    write_text(out / "report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return report
