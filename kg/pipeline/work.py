"""The per-page work of a build, the same in this process, in a worker process or on a Dask worker.

Engines hand a worker a chunk of documents (:func:`process_documents`), so LAC reads the
sentences of many pages in one batch.
"""

from __future__ import annotations

import pickle
from typing import Sequence

from kg.extract import Extraction, extract_page, names
from kg.extract.extraction import page_names, page_words
from kg.extract.nlp import runner
from kg.model import Document, Page
from kg.rdf.graph import build_quads, entity_stubs
from kg.rdf.iris import IRIs
from kg.rdf.serialize import Part, render
from kg.rdf.validate import Violation, validate_quads
from kg.resolve import keep
from kg.segment.layout import segment


def process_document(doc: Document, only: Sequence[str] | None = None) -> tuple[Page, Extraction]:
    """Segment one document and extract the records of its articles: a pure function of ``doc``.

    Examples
    --------
    >>> page, x = process_document(Document("p", "page", "标题\\n\\n张三\\n\\n正文。"))
    >>> page.id, len(page.articles), [m.name for m in x.mentions]
    ('p', 1, ['张三'])
    """
    page = segment(doc)
    return page, (extract_page(page, only) if page.articles else Extraction())


def process_documents(docs: Sequence[Document], only: Sequence[str] | None = None) -> list[tuple[Page, Extraction]]:
    """:func:`process_document` of each document, the sentences of all of them tagged by LAC in one batch
    and their names read by the trained tagger in one pass.

    The results are those of :func:`process_document` on each document; the batch only lets
    the models read many sentences per call. This is the work an engine runs per chunk.

    Examples
    --------
    >>> docs = [Document(f"p{i}", "page", f"标题{i}\\n\\n张三\\n\\n正文。") for i in range(2)]
    >>> process_documents(docs) == [process_document(d) for d in docs]
    True
    """
    pages = [segment(doc) for doc in docs]
    full = [p for p in pages if p.articles]
    tagged = page_words(full)
    words, names = iter(tagged), iter(page_names(full, tagged))
    return [(page, extract_page(page, only, words=next(words), names=next(names)) if page.articles else Extraction())
            for page in pages]


def render_documents(docs: Sequence[Document], only: Sequence[str] | None = None, base: str | None = None,
                     validate: bool = False) -> list[tuple[Page, Extraction, Part | None, tuple[Violation, ...], Extraction | None,
                                                            bytes | None]]:
    """:func:`process_documents`, each page also rendered into its part of the graph files
    (the quads of the records resolution keeps, rendered), so the workers write too;
    with ``validate``, the chunk's quads are checked against the SHACL shapes here as well
    (with what the corpus part will say of the entities they name), and the violations come
    with the chunk's last page. Each page comes with the records resolution keeps of it
    (:func:`kg.resolve.keep`, made here for its part), so the build does not make them again,
    and with the page and those records pickled, as the build spools them (the workers pickle,
    not the build process).

    Examples
    --------
    >>> out = render_documents([Document("p", "page", "标题\\n\\n张三\\n\\n正文。")], validate=True)
    >>> [(p.id, part.quads > 0, violations, kept == keep(x)) for p, x, part, violations, kept, _ in out]
    [('p', True, (), True)]
    """
    scoped = IRIs.under(base).scoped()
    out, pending = [], []
    for page, x in process_documents(docs, only):
        part = kept = spooled = None
        if page.articles:
            kept = keep(x)
            part, to_check = _rendered(page, kept, base, scoped, validate)
            pending += to_check
            spooled = pickle.dumps((page, kept), protocol=pickle.HIGHEST_PROTOCOL)
        out.append((page, x, part, (), kept, spooled))
    if pending:
        page, x, part, _, kept, spooled = out[-1]
        out[-1] = (page, x, part, validate_quads(pending), kept, spooled)
    return out


def render_page(page: Page, records: Extraction, base: str | None = None,
                validate: bool = False) -> tuple[Part, tuple[Violation, ...]]:
    """One page's part of the graph files, from records already resolved, and (with ``validate``)
    its violations: what the writer does itself for a page read from the cache."""
    part, to_check = _rendered(page, records, base, IRIs.under(base).scoped(), validate)
    return part, (validate_quads(to_check) if to_check else ())


def _rendered(page: Page, records: Extraction, base: str | None, scoped: tuple[str, ...], validate: bool) -> tuple[Part, list]:
    """A page's part, and the quads to check for it (its own and what the corpus part will say of
    the entities it names; none without ``validate``)."""
    quads = build_quads([page], records, None, base=base)
    return render(quads, scoped), (quads + entity_stubs(records, base=base) if validate else [])


def init_worker(threads: int = 1) -> None:
    """Load the NER model once in this worker and keep it to ``threads`` CPU threads.

    A worker is one core: onnxruntime's default of one thread per core makes
    N workers fight over N cores.
    """
    runner(threads=threads or None)
    names()  # import every extractor module once
