"""Engines: ways to map the per-page work (:func:`kg.pipeline.work.process_documents`) over documents.

In this process, on a pool of local worker processes, or on a Dask cluster; whichever, the
results come back in input order, so the build does not depend on the engine. Uncached
documents go to the work in chunks (:data:`CHUNK_DOCS` documents or :data:`CHUNK_CHARS`
characters, whichever comes first), so the model reads many pages' sentences per call.
"""

from __future__ import annotations

import collections
import functools
import itertools
import logging
import os
import sys
import threading
import time
from typing import Callable, Iterable, Iterator, Sequence

from kg.pipeline.cache import Cache
from kg.pipeline.work import init_worker, process_documents, render_documents
from kg.errors import EngineError, Errors
from kg.extract import Extraction
from kg.model import Document, Page

log = logging.getLogger(__name__)

#: Engine names ``map_pages`` takes.
ENGINES = ("local", "dask")
#: Documents in one chunk of work at most.
CHUNK_DOCS = 256
#: Characters in one chunk of work: a chunk is closed when it reaches them.
CHUNK_CHARS = 48_000


def default_jobs() -> int:
    """Cores this process may use (``-j`` default).

    Examples
    --------
    >>> default_jobs() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def map_pages(
    docs: Iterable[Document],
    *,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache: Cache | None = None,
    only: Sequence[str] | None = None,
    window: int | None = None,
    render: bool = False,
    base: str | None = None,
    validate: bool = False,
) -> Iterator[tuple]:
    """``(page, extraction)`` of each document, in input order, whatever the engine and number of jobs.

    Documents are read lazily and at most ``window`` of them are in flight, so
    memory does not grow with the corpus. Cached pages are taken from ``cache``
    without extraction; new ones are stored there.

    Parameters
    ----------
    docs : iterable of Document
        The inputs (already read).
    jobs : int, optional
        Worker processes (``local``) or workers of a new LocalCluster (``dask``);
        ``None`` or ``0`` means every core; ``1`` with ``local`` runs in this process.
    engine : {"local", "dask"}
        Where the per-page work runs.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); without it ``dask``
        starts a LocalCluster of ``jobs`` workers.
    cache : kg.pipeline.cache.Cache, optional
        Page cache, looked up and written in this process.
    only : sequence of str, optional
        Extractors to run (default: all).
    window : int, optional
        Documents in flight (default: ``4 * jobs`` chunks' worth, each chunk at most
        :data:`CHUNK_DOCS` documents); at most ``max(4, 4 * jobs)`` chunks are in flight.
    render : bool
        Also render each page into its part of the graph files where it is extracted
        (:func:`kg.pipeline.work.render_documents`, IRIs under ``base``, and checked against the
        shapes with ``validate``): the results are then ``(page, extraction, part, violations, kept,
        spooled)``, ``kept`` the records resolution keeps of the page (:func:`kg.resolve.keep`),
        ``spooled`` the page and ``kept`` pickled; ``part``, ``kept`` and ``spooled`` None for a
        page read from the cache.

    Returns
    -------
    iterator of (Page, Extraction) or (Page, Extraction, Part or None, violations, Extraction or None, bytes or None)
        The segmented page and what was extracted of it, one per document, in input order.

    Raises
    ------
    EngineError
        An unknown engine, or Dask not installed or unreachable.

    Examples
    --------
    >>> docs = [Document(f"p{i}", "page", f"标题{i}\\n\\n张三\\n\\n正文。") for i in range(3)]
    >>> [page.id for page, _ in map_pages(docs, jobs=1)]
    ['p0', 'p1', 'p2']
    """
    if engine not in ENGINES:
        raise EngineError(Errors.E070.format(name=engine, choices=", ".join(ENGINES)))
    jobs = jobs or default_jobs()
    chunks = max(4, 4 * jobs)
    window = window or chunks * CHUNK_DOCS
    docs = iter(docs)
    head = list(itertools.islice(docs, 2))
    work = (functools.partial(render_documents, only=only, base=base, validate=validate) if render
            else functools.partial(process_documents, only=only))
    if engine == "dask":
        submit, close = _dask(jobs, scheduler, work)
    elif jobs == 1 or len(head) < 2:  # one page is not worth starting workers for
        submit, close = _inline(work), (lambda interrupted=False: None)
    else:
        submit, close = _pool(jobs, work)
    try:
        yield from _ordered(itertools.chain(head, docs), submit, cache, only, window, chunks, render)
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, GeneratorExit)) and engine != "dask":
            close(True)
        else:
            close()
        raise
    close()


class _Chunk:
    """Uncached documents that go to the work together, and then the future of their results."""

    __slots__ = ("docs", "chars", "future", "results", "left")

    def __init__(self) -> None:
        self.docs: list[Document] = []
        self.chars = 0
        self.future = None
        self.results = None  # the chunk's results, fetched once (a Dask future fetches them anew at each result())
        self.left = 0  # results not yet taken


def _ordered(docs, submit, cache, only, window, chunks=4, render=False) -> Iterator[tuple]:
    """Submit uncached documents in chunks, keep at most ``window`` documents and ``chunks`` chunks in flight, yield in input order."""
    pending: collections.deque = collections.deque()  # (key, cached result | (chunk, index))
    current = _Chunk()
    inflight = [0]

    def flush():
        nonlocal current
        if current.docs:
            current.future, current.left = submit(current.docs), len(current.docs)
            inflight[0] += 1
            current = _Chunk()

    def drain_one():
        key, item = pending.popleft()
        if not isinstance(item[0], _Chunk):
            return (*item, None, (), None, None) if render else item
        chunk, i = item
        if chunk.future is None:
            flush()
        if chunk.results is None:
            chunk.results = chunk.future.result()
        result = chunk.results[i]
        page, extraction = result[0], result[1]
        chunk.left -= 1
        if not chunk.left:
            inflight[0] -= 1
            chunk.future, chunk.results = _Done(()), None  # the results are taken: let them go
        if cache is not None:
            cache.put(key, page, extraction)
        return result

    def ready(item) -> bool:
        return not isinstance(item[0], _Chunk) or (item[0].future is not None and item[0].future.done())

    for doc in docs:
        key = cache.key(doc, only) if cache is not None else None
        hit = cache.get(key) if cache is not None else None
        if hit is not None:
            pending.append((key, hit))
        else:
            current.docs.append(doc)
            current.chars += len(doc.text)
            pending.append((key, (current, len(current.docs) - 1)))
            if len(current.docs) >= CHUNK_DOCS or current.chars >= CHUNK_CHARS:
                flush()
        while len(pending) > window or inflight[0] > chunks or (pending and ready(pending[0][1])):
            yield drain_one()
    flush()
    while pending:
        yield drain_one()


class _Done:
    """A finished result with the interface of a future."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def done(self) -> bool:
        return True

    def result(self):
        return self.value


def _inline(work) -> Callable:
    """Run each chunk here, loading the model at the first page that is not in the cache."""
    started = []

    def submit(docs):
        if not started:
            init_worker()
            started.append(True)
        return _Done(work(docs))

    return submit


#: Seconds between a worker's looks at whether the build that started it is still there.
WATCH_EVERY = 0.5


def watch_parent(parent: int, every: float = WATCH_EVERY) -> threading.Thread:
    """In a worker process: end it at once when ``parent`` (the build) is gone, however it ended
    (``kill -9`` included), instead of running on with nobody to take its results."""

    def look() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    thread = threading.Thread(target=look, name="kg-watch-parent", daemon=True)
    thread.start()
    return thread


def _init_pool_worker(parent: int) -> None:
    watch_parent(parent)
    init_worker()


def _pool(jobs: int, work) -> tuple[Callable, Callable]:
    """Submit chunks to ``jobs`` worker processes, started at the first page that is not in the cache.

    Each worker watches the build and ends with it. When the build is interrupted (Ctrl-C,
    SIGTERM, SIGHUP) the chunks not started are cancelled and the build does not wait for the
    running ones: their workers end once they find the build gone.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool: list[ProcessPoolExecutor] = []

    def submit(docs):
        if not pool:
            # spawn, not fork: a forked copy of a process that already runs onnxruntime threads can hang
            ctx = multiprocessing.get_context("spawn")
            pool.append(ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_init_pool_worker,
                                            initargs=(os.getpid(),)))
        return pool[0].submit(work, docs)

    def close(interrupted: bool = False):
        for ex in pool:
            ex.shutdown(wait=not interrupted, cancel_futures=True)

    return submit, close


def _dask(jobs: int, scheduler: str | None, work) -> tuple[Callable, Callable]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise EngineError(Errors.E071) from exc
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s)
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise EngineError(Errors.E072.format(address=scheduler or "(local cluster)", why=exc)) from exc
    client.run(init_worker)
    counter = iter(range(sys.maxsize))

    def submit(docs):
        # pure=False: two chunks with equal content still get their own task
        return client.submit(work, docs, key=f"kg-chunk-{next(counter)}-{docs[0].id}", pure=False)

    def close():
        client.close()
        if cluster is not None:
            cluster.close()

    return submit, close
