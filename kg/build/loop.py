"""The build: documents -> pages -> extraction -> resolution -> dataset, with a report of what was skipped."""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from kg import extract
from kg.extract.attribution import parse_attribution
from kg.model import Document, Page, Relation, Skip
from kg.lexicon.orgs import PROVINCES
from kg.resolve import Resolution, Resolver

log = logging.getLogger(__name__)


def proven_people(page: Page) -> frozenset[str]:
    """Names the page proves: bylines, compilers and quote attributions.

    Examples
    --------
    >>> from kg.segment.layout import segment_page
    >>> sorted(proven_people(segment_page("标题\\n\\n张三\\n\\n正文。")))
    ['张三']
    """
    names = set()
    for a in page.articles:
        names.update(a.authors)
        names.update(a.compilers)
        for _, block in a.blocks_of("attribution"):
            p = parse_attribution(block.text)
            if p:
                names.add(block.text[p[2]:p[3]])
    return frozenset(names)


def article_province(text: str) -> str:
    """The province an article is about: the one it names most, at least twice, alone at the top.

    Examples
    --------
    >>> article_province("山东各级工会……山东工会……河北"), article_province("天津、江西")
    ('山东', '')
    """
    counts = Counter({p: text.count(p) for p in PROVINCES if p in text})
    top = counts.most_common(2)
    if not top or top[0][1] < 2 or (len(top) > 1 and top[1][1] == top[0][1]):
        return ""
    return top[0][0]


def extract_page(page: Page, *, only: Sequence[str] | None = None) -> list:
    """Every record the extractors yield for the articles of one page."""
    proven = proven_people(page)
    out: list = []
    for art in page.articles:
        doc = extract.analyse(art, proven_people=proven, province=article_province(art.text))
        out.extend(extract.run(doc, only))
    return out


@dataclass
class Build:
    """What a build read and made: pages, resolution, skips and timing.

    ``pages`` holds the pages only while there are at most ``keep`` of them (see
    :func:`run`); past that the build streams and ``pages`` is empty, while
    ``n_pages`` and ``n_articles`` still count everything read.
    """

    pages: list[Page] = field(default_factory=list)
    resolution: Resolution = field(default_factory=Resolution)
    skipped: list[Skip] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    n_pages: int = 0
    n_articles: int = 0
    n_measures: int = 0
    n_relations: int = 0
    resolver: Resolver | None = None
    streamed: bool = False

    @property
    def articles(self) -> int:
        return self.n_articles

    def entity_counts(self) -> dict[str, int]:
        c = Counter(ref.label for ref in self.resolution.entities)
        return {k: c.get(k, 0) for k in ("Person", "Organization", "Place", "Policy", "Event")}


def run(
    items: Iterable[Document | Skip],
    *,
    only: Sequence[str] | None = None,
    progress=None,
    jobs: int | None = 1,
    engine: str = "local",
    scheduler: str | None = None,
    cache=None,
    keep: int | None = None,
) -> Build:
    """Segment, extract and resolve every document.

    The per-page work (segmentation and extraction) runs on ``engine`` with
    ``jobs`` workers (see :func:`kg.build.engines.map_pages`); pages come back in
    input order, so the result does not depend on the engine or on ``jobs``.
    ``cache`` (a :class:`kg.build.cache.Cache`) keeps pages already extracted.
    ``progress`` is called with each page done.

    Entities are resolved page by page. With ``keep`` set, pages and their records
    are held only while there are at most ``keep`` of them: past that the build is
    ``streamed`` (memory does not grow with the pages) and a second pass over the
    cache writes the graph (:func:`kg.build.stream.write`).

    Examples
    --------
    >>> from kg.model import Document
    >>> b = run([Document("p", "page", "标题\\n\\n张三\\n\\n正文写到了北京。")])
    >>> b.articles, b.entity_counts()["Person"]
    (1, 1)
    """
    from kg.build.engines import map_pages

    t0 = time.perf_counter()
    build = Build()
    resolver = Resolver()
    kept: list[Resolution] = []
    docs: deque[tuple[int, Document]] = deque()
    skipped: list[tuple[int, Skip]] = []  # (input position, skip): kept in input order however far the engine reads ahead

    def documents() -> Iterator[Document]:
        for pos, item in enumerate(items):
            if isinstance(item, Skip):
                skipped.append((pos, item))
                log.warning(item.reason)
                continue
            docs.append((pos, item))
            yield item

    for page, page_records in map_pages(documents(), jobs=jobs, engine=engine, scheduler=scheduler, cache=cache, only=only):
        pos, item = docs.popleft()
        build.warnings.extend(item.warnings)
        if not page.articles:
            skipped.append((pos, Skip(item.path or item.id, f"[W004] {item.path or item.id}: no article found", item.line)))
            continue
        view = resolver.add(page_records)
        build.n_pages += 1
        build.n_articles += len(page.articles)
        build.n_measures += len(view.measures)
        build.n_relations += len(view.relations)
        if not build.streamed:
            build.pages.append(page)
            kept.append(view)
            if keep is not None and len(build.pages) > keep:
                build.streamed = True
                build.pages, kept = [], []
        if progress is not None:
            progress(page)
    build.skipped = [skip for _, skip in sorted(skipped, key=lambda x: x[0])]
    res = resolver.finish()
    if not build.streamed:
        for view in kept:
            res.mentions += view.mentions
            res.relations += view.relations
            res.measures += view.measures
            res.statements += view.statements
        resolver.attach_derived(res)
    build.n_relations += sum(isinstance(r, Relation) for recs in resolver.derived.values() for r in recs)
    build.resolution = res
    build.resolver = resolver
    build.seconds = time.perf_counter() - t0
    return build


def iter_docs(paths: Sequence[str], *, input_format: str | None = None, strict: bool = False, meta=None) -> Iterator[Document | Skip]:
    """Documents of the inputs (files or folders), via the registered readers."""
    from kg.sources import iter_documents

    yield from iter_documents(paths, input_format=input_format, strict=strict, meta=meta)
