"""Build a knowledge graph from newspaper pages or article files.

Reads every PATH (files, or folders walked recursively), splits layout pages into
articles, extracts people, organizations, places, policies, events, measures and
their relations, and writes DIR/graph.ttl, graph.trig, graph.nq, graph.jsonld,
graph.html, the SPARQL store DIR/store/ and DIR/report.json.

Pages are processed by N worker processes (-j, default: every core) or on a
Dask cluster (--engine dask --scheduler ADDRESS); the output does not depend on
either. Extracted pages are kept in DIR/cache/ (--cache, --no-cache), so a
rebuild extracts only the pages that changed.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import time
from pathlib import Path

from kg.errors import Errors

HELP = "build the graph from pages or article files"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="input files or folders")
    p.add_argument("-o", "--output", default="output", metavar="DIR", help="output folder (default: output/)")
    p.add_argument("--input-format", choices=("page", "plain", "markdown", "jsonl", "html"),
                   help="read every file as this format (default: by extension; .txt is a layout page)")
    p.add_argument("--format", "--formats", dest="format", default="ttl,trig,nq,jsonld", metavar="LIST",
                   help="RDF files to write, comma-separated from ttl,trig,nq,nt,jsonld,rdfxml (default: ttl,trig,nq,jsonld)")
    p.add_argument("--base", metavar="IRI", help="base of instance IRIs (default https://w3id.org/newskg/id/)")
    p.add_argument("--publisher", help="newspaper name for inputs that do not say it")
    p.add_argument("--date", help="publication date (YYYY-MM-DD) for inputs that do not say it")
    p.add_argument("--page", help="page number for inputs that do not say it")
    p.add_argument("--extractors", metavar="LIST", help=_ExtractorsHelp("run only these extractors"))
    p.add_argument("--no-html", action="store_true", help="do not write graph.html")
    p.add_argument("--no-store", action="store_true", help="do not build the SPARQL store DIR/store/")
    p.add_argument("--no-validate", action="store_true", help="do not check the graph against ontology/shapes.ttl")
    p.add_argument("--strict", action="store_true", help="fail on the first input that has to be skipped")
    p.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                   help="worker processes (local) or LocalCluster workers (dask); default: every core; 1: no workers")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="where the per-page work runs (dask needs the [dask] extra)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --engine dask; default: a LocalCluster of -j workers)")
    p.add_argument("--cache", metavar="DIR", help="page cache folder (default: DIR/cache/ under --output)")
    p.add_argument("--stream", action=argparse.BooleanOptionalAction, default=None,
                   help="do not hold the graph in memory for the view (default: above 200 pages); "
                        "every build writes its files page by page and validates them in the store")
    p.add_argument("--no-cache", action="store_true", help="extract every page; neither read nor write the cache")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors (no progress)")


class _ExtractorsHelp(str):
    """The help of ``--extractors`` with the registered names, looked up only when the help is printed.

    (argparse formats a help string with ``%`` when it prints it; the registry imports the NLP.)
    """

    def __mod__(self, params) -> str:
        from kg.extract.registry import names

        return f"run only these extractors, comma-separated, of: {', '.join(names())} (default: all)"


def _jobs(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(Errors.E081.format(rule="0 (every core) or more", value=n))
    return n


def run(args: argparse.Namespace) -> int:
    from kg.pipeline import BuildOptions, build

    opts = BuildOptions(
        paths=tuple(args.paths),
        output=Path(args.output),
        input_format=args.input_format,
        formats=tuple(f.strip() for f in args.format.split(",") if f.strip()),
        base=args.base,
        publisher=args.publisher or "",
        date=args.date or "",
        page=args.page or "",
        extractors=tuple(x.strip() for x in args.extractors.split(",")) if args.extractors else None,
        html=not args.no_html,
        store=not args.no_store,
        validate=not args.no_validate,
        strict=args.strict,
        jobs=args.jobs or None,
        engine="dask" if args.scheduler else args.engine,  # a scheduler address means Dask
        scheduler=args.scheduler,
        stream=args.stream,
        cache=None if args.no_cache else Path(args.cache) if args.cache else Path(args.output) / "cache",
    )
    progress = Progress(_count_inputs(opts.paths, opts.input_format), quiet=args.quiet)
    told = _Told()
    loop_log = logging.getLogger("kg.pipeline.loop")
    loop_log.addFilter(told)
    try:
        result = build(opts, progress=progress)
    finally:
        loop_log.removeFilter(told)
        progress.close()
    if not args.quiet:
        for line in skipped_lines(result.report["skipped"], told.messages):
            print(line, file=sys.stderr)
        print(result.summary)
    return 0


class _Told(logging.Filter):
    """Prints each input the build skips while reading as ``kg build: skipped …`` (once, instead of the
    log's warning, whatever logging is set up to show) and remembers it, so the end does not print it again."""

    def __init__(self, stream=None) -> None:
        super().__init__()
        self.stream = stream
        self.messages: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING:
            return True
        message = record.getMessage()
        for line in skipped_lines([{"reason": message}], self.messages):
            print(line, file=self.stream or sys.stderr)
        self.messages.add(message)
        return False


def skipped_lines(skipped: list[dict], told: set[str] = frozenset()) -> list[str]:
    """The lines that report the skipped inputs the build has not printed yet: each skip once.

    Examples
    --------
    >>> skipped_lines([{"reason": "[E002] a.txt: file is empty"}, {"reason": "[E008] b.txt: no article found in the text"}],
    ...               {"[E002] a.txt: file is empty"})
    ['kg build: skipped [E008] b.txt: no article found in the text']
    """
    lines = []
    for skip in skipped:
        line = f"kg build: skipped {skip['reason']}"
        if skip["reason"] not in told and line not in lines:
            lines.append(line)
    return lines


def _count_inputs(paths, input_format) -> int | None:
    """Pages the build will read (the total of the progress bar): a file each, a JSON Lines file a record a line."""
    from kg.sources.common import reader_for

    n = 0
    for p in map(Path, paths):
        files = [p] if p.is_file() else (f for f in sorted(p.rglob("*")) if f.is_file())
        for f in files:
            if any(part.startswith(".") for part in f.relative_to(p).parts) if p.is_dir() else False:
                continue
            reader = input_format or (r.name if (r := reader_for(f)) else None)
            if reader == "jsonl":
                n += _records(f)
            else:
                n += reader is not None
    return n or None


def _records(path: Path) -> int:
    """Non-blank lines of a JSON Lines file (its records), read in blocks: about a second a gigabyte."""
    count, last = 0, b"\n"
    try:
        with open(path, "rb") as f:
            while block := f.read(1 << 20):
                count += block.count(b"\n") - block.count(b"\n\n") - block.count(b"\n\r\n")
                last = block[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")


class Progress:
    """How far each phase of a build is: a tqdm bar on a terminal, off a terminal a line every ``every`` s.

    Phases are those :func:`kg.pipeline.build` reports: ``extract`` (pages read, segmented and
    extracted; its total is the pages the inputs hold), ``write`` (pages written), ``store``
    and ``validate`` (quads), ``view`` and the files converted from the others. tqdm keeps the
    time, the rate and the ETA. Off a terminal (a log, CI), a phase prints a line with its
    counts every ``every`` seconds, and its last when it printed one before, so a long build
    never goes silent and a short one prints only its summary. A phase reported once, already
    complete, shows nothing: it has no rate to tell.

    Examples
    --------
    >>> import io, time
    >>> out = io.StringIO()
    >>> p = Progress(2, stream=out, every=0)
    >>> p("extract", 1, None); time.sleep(0.01); p("extract", 2, None); p("validate", 2480, 2480); p.close()
    >>> print(out.getvalue().strip())
    kg build: extract 1/2 pages
    kg build: extract 2/2 pages
    """

    UNITS = {"extract": "pages", "write": "pages", "store": "quads", "validate": "quads"}

    def __init__(self, total: int | None = None, *, stream=None, quiet: bool = False, every: float = 5.0) -> None:
        self.total, self.quiet, self.every = total, quiet, every
        self.stream = stream if stream is not None else sys.stderr
        self.phase: str | None = None
        self.bar = None
        self.printed = False
        self.shown = ""
        self.last = time.monotonic()
        self.tty = not quiet and _isatty(self.stream) and not os.environ.get("CI")

    def __call__(self, phase: str = "extract", done: int = 0, total: int | None = None) -> None:
        if self.quiet:
            return
        total = self.total if phase == "extract" else total
        if phase != self.phase:
            self._end()
            self.phase, self.printed, self.last = phase, False, time.monotonic()
            if total is not None and done >= total and phase != "extract":
                return  # reported once, complete: nothing to show
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=self.UNITS.get(phase, "step"), desc=f"kg build: {phase}",
                            file=self.stream if self.tty else io.StringIO(), dynamic_ncols=True, leave=False,
                            mininterval=0.5 if self.tty else float("inf"))
        if self.bar is None:
            return
        self.bar.update(done - self.bar.n)
        now = time.monotonic()
        if not self.tty and now - self.last >= self.every:
            self.last, self.printed = now, True
            self._print()

    def line(self) -> str:
        """``kg build: extract 120/1000 pages, 3.20 pages/s, ETA 04:35``: counts, and tqdm's rate and ETA after a second."""
        from tqdm import tqdm

        d = self.bar.format_dict
        fmt = "{desc} {n_fmt}/{total_fmt} {unit}" if d["total"] else "{desc} {n_fmt} {unit}"
        if d["elapsed"] >= 1 and d["n"]:
            fmt += ", {rate_noinv_fmt}" + (", ETA {remaining}" if d["total"] and d["n"] < d["total"] else "")
        return tqdm.format_meter(**{**d, "bar_format": fmt}).replace(f"{d['unit']}/s", f" {d['unit']}/s")

    def _print(self) -> None:
        line = self.line()
        if line != self.shown:
            self.stream.write(line + "\n")
            self.stream.flush()
            self.shown = line

    def _end(self) -> None:
        if self.bar is not None:
            if not self.tty and self.printed:
                self._print()  # the phase's last count, after the lines it printed
            self.bar.close()
            self.bar = None

    def close(self) -> None:
        self._end()


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
